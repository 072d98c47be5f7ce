// The one seam between the client and whatever answers it: an HSDS across the network
// (HttpTransport) or the embedded engine in this process (LocalTransport).

export type HttpMethod = "GET" | "PUT" | "POST" | "DELETE";

export interface HsRequest {
  method: HttpMethod;
  /** Path as on the wire, without the query string: segments percent-encoded (link and attribute
   *  names may hold any character), e.g. "/groups/g-.../links/my%20link". */
  path: string;
  /** Decoded query parameters. */
  query: Record<string, string>;
  /** Lower-case header names. */
  headers: Record<string, string>;
  body?: Uint8Array;
}

export interface HsResponse {
  status: number;
  /** Lower-case header names. */
  headers: Record<string, string>;
  body: Uint8Array;
}

export interface Transport {
  /** The endpoint as the user named it (for messages and hsinfo). */
  readonly endpoint: string;
  request(req: HsRequest): Promise<HsResponse>;
  close(): Promise<void>;
}
