// Keys from the learner: single key presses when stdin is a terminal (raw mode), whole lines when
// it is a pipe (the first letter of each line counts), so a test or a script can drive the runner.
import { createInterface, type Interface } from 'node:readline';

/** A key press, or the end of the input. */
export type Key = { kind: 'char'; char: string } | { kind: 'interrupt' } | { kind: 'end' };

export class KeyInput {
  private lines?: Interface;
  private raw = false;
  private readonly onData = (chunk: Buffer | string) => {
    const text = chunk.toString();
    // Arrow and function keys arrive as escape sequences: not ours, and not letters to act on.
    if (text.startsWith('\x1b')) return;
    for (const char of text) {
      if (char === '\u0003') this.emit({ kind: 'interrupt' });
      else if (char === '\u0004') this.emit({ kind: 'end' });
      else this.emit({ kind: 'char', char: char === '\r' ? '\n' : char.toLowerCase() });
    }
  };

  constructor(
    private readonly input: NodeJS.ReadStream,
    private readonly emit: (key: Key) => void,
  ) {}

  get isTerminal(): boolean {
    return this.input.isTTY === true;
  }

  start(): void {
    if (this.input.isTTY) {
      this.input.setRawMode(true);
      this.raw = true;
      this.input.on('data', this.onData);
      this.input.resume();
      return;
    }
    this.lines = createInterface({ input: this.input, terminal: false });
    this.lines.on('line', (line) => {
      const char = line.trim().charAt(0).toLowerCase();
      this.emit({ kind: 'char', char: char || '\n' });
    });
    this.lines.on('close', () => this.emit({ kind: 'end' }));
  }

  /** Gives the terminal back as it was and lets go of stdin, so the process can end. */
  stop(): void {
    if (this.raw) {
      this.input.off('data', this.onData);
      this.input.setRawMode(false);
      this.raw = false;
    }
    if (this.lines) {
      this.lines.removeAllListeners('close');
      this.lines.close();
      this.lines = undefined;
    }
    this.input.pause();
    if (!this.input.isTTY) this.input.destroy();
  }
}
