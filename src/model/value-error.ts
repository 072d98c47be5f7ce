/** A JSON or binary value that does not fit its type or shape; the message names what does not fit. */
export class ValueError extends Error {
  override name = "ValueError";
}
