/**
 * HSDS listings page with `Limit` and `Marker` (the key of the last item already received).
 * Keeps asking while pages come back full, as h5pyd does; without a page size it asks once and
 * the server returns everything.
 */
export async function* pagedItems<T>(
  fetchPage: (limit: number | undefined, marker: string | undefined) => Promise<T[]>,
  keyOf: (item: T) => string,
  pageSize: number | undefined,
): AsyncGenerator<T> {
  let marker: string | undefined;
  for (;;) {
    const page = await fetchPage(pageSize, marker);
    yield* page;
    if (pageSize === undefined || page.length < pageSize || page.length === 0) return;
    marker = keyOf(page[page.length - 1]!);
  }
}
