import { Writable } from "node:stream";

/**
 * stdout and stderr of one container, kept up to a shared byte cap. Past the cap nothing more is
 * kept and `onOverflow` fires once (the adapter kills the container then).
 */
export class CappedOutput {
  readonly stdout: Writable;
  readonly stderr: Writable;
  private readonly chunks = { stdout: [] as Buffer[], stderr: [] as Buffer[] };
  private kept = 0;
  private overflowed = false;
  private readonly capBytes: number;
  private readonly onOverflow: () => void;

  constructor(capBytes: number, onOverflow: () => void) {
    this.capBytes = capBytes;
    this.onOverflow = onOverflow;
    this.stdout = this.sink("stdout");
    this.stderr = this.sink("stderr");
  }

  get truncated(): boolean {
    return this.overflowed;
  }

  text(stream: "stdout" | "stderr"): string {
    return Buffer.concat(this.chunks[stream]).toString("utf8");
  }

  private sink(stream: "stdout" | "stderr"): Writable {
    return new Writable({
      write: (chunk: Buffer, _encoding, callback) => {
        this.keep(stream, chunk);
        callback();
      },
    });
  }

  private keep(stream: "stdout" | "stderr", chunk: Buffer): void {
    const room = this.capBytes - this.kept;
    if (room > 0) {
      const part = chunk.length <= room ? chunk : chunk.subarray(0, room);
      this.chunks[stream].push(part);
      this.kept += part.length;
    }
    if (chunk.length > room && !this.overflowed) {
      this.overflowed = true;
      this.onOverflow();
    }
  }
}
