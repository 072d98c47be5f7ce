// Timestamps as h5pyd prints them: str(datetime.fromtimestamp(int(t))), i.e. whole seconds in the
// local time zone (TZ is honoured), "YYYY-MM-DD HH:MM:SS".

const two = (n: number) => String(n).padStart(2, "0");

export function localTimestamp(epochSeconds: number): string {
  const d = new Date(Math.trunc(epochSeconds) * 1000);
  const date = `${String(d.getFullYear()).padStart(4, "0")}-${two(d.getMonth() + 1)}-${two(d.getDate())}`;
  return `${date} ${two(d.getHours())}:${two(d.getMinutes())}:${two(d.getSeconds())}`;
}
