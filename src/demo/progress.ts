/** A one-line progress bar on stderr (only when asked: the CLI passes `progress` on a TTY). */
export function progressBar(enabled: boolean, total: number) {
  let last = -1;
  return {
    tick(done: number, label: string): void {
      if (!enabled || total <= 0) return;
      const pct = Math.min(100, Math.floor((done / total) * 100));
      if (pct === last) return;
      last = pct;
      const width = 30;
      const filled = Math.round((pct / 100) * width);
      process.stderr.write(
        `\r[${"#".repeat(filled)}${".".repeat(width - filled)}] ${String(pct).padStart(3)}% ${label.padEnd(24)}`,
      );
    },
    done(): void {
      if (enabled) process.stderr.write("\n");
    },
  };
}
