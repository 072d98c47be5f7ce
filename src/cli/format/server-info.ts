// What hsinfo prints about the server, in h5pyd's words and order.
import type { AboutInfo } from "../../client/hsds-types.js";

/** "2 days, 3 hours 4 min 5 sec", "3 hours 4 min 5 sec", "4 min 5 sec" or "5 sec". */
export function uptimeText(totalSeconds: number): string {
  let sec = Math.max(0, Math.trunc(totalSeconds));
  const days = Math.floor(sec / 86400);
  sec -= days * 86400;
  const hours = Math.floor(sec / 3600);
  sec -= hours * 3600;
  const mins = Math.floor(sec / 60);
  sec -= mins * 60;
  if (days) return `${days} days, ${hours} hours ${mins} min ${sec} sec`;
  if (hours) return `${hours} hours ${mins} min ${sec} sec`;
  if (mins) return `${mins} min ${sec} sec`;
  return `${sec} sec`;
}

export interface ServerReport {
  about: AboutInfo;
  /** The endpoint as configured. */
  endpoint: string;
  password?: string;
  /** The user's home folder, "NO ACCESS", or undefined when there is none to show. */
  home?: string;
  nowSeconds: number;
  clientName: string;
  clientVersion: string;
}

export function serverInfoLines(report: ServerReport): string[] {
  const { about } = report;
  const lines = [`server name: ${about.name}`];
  if (about.state !== undefined) lines.push(`server state: ${about.state}`);
  lines.push(`endpoint: ${report.endpoint}`);
  // h5pyd prints the space before the admin tag even when there is no tag.
  lines.push(`username: ${about.username} ${about.isadmin ? "(admin)" : ""}`);
  lines.push(`password: ${"*".repeat(report.password?.length ?? 0)}`);
  if (report.home !== undefined) lines.push(`home: ${report.home}`);
  if (about.hsds_version !== undefined) lines.push(`server version: ${about.hsds_version}`);
  if (about.node_count !== undefined) lines.push(`node count: ${about.node_count}`);
  if (about.start_time !== undefined) lines.push(`up: ${uptimeText(report.nowSeconds - about.start_time)}`);
  lines.push(`${report.clientName} version: ${report.clientVersion}`);
  return lines;
}
