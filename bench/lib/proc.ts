/** What /proc says about a child process (Linux; NaN elsewhere). */
import { readFileSync } from "node:fs";

/** USER_HZ: 100 on every Linux build that Node supports. */
const CLOCK_TICKS = 100;

/** CPU time (user + system) a process has used, in ms. */
export function processCpuMs(pid: number | undefined): number {
  try {
    const fields = readFileSync(`/proc/${pid}/stat`, "utf8").split(") ")[1]!.split(" ");
    const ticks = Number(fields[11]) + Number(fields[12]);
    return (ticks * 1000) / CLOCK_TICKS;
  } catch {
    return Number.NaN;
  }
}

/** Resident set size (VmRSS) of a process, in MB. */
export function processRssMb(pid: number | undefined): number {
  try {
    const line = readFileSync(`/proc/${pid}/status`, "utf8")
      .split("\n")
      .find((l) => l.startsWith("VmRSS:"));
    return line ? Number(line.replace(/\D+/g, "")) / 1024 : Number.NaN;
  } catch {
    return Number.NaN;
  }
}
