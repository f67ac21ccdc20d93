// Reads the statements a client sends over Postgres's wire protocol, as the server receives
// them: simple queries ('Q'), and the extended protocol's Parse/Bind/Execute with their
// parameters. Whatever the library or the spelling, what reached Postgres is what is recorded.

export interface WireStatement {
  text: string;
  /** Parameters as sent (text format; a binary one as its bytes in hex), null for SQL NULL. */
  values: (string | null)[];
}

/** Splits a stream of frontend messages; calls `onStatement` for each statement sent. */
export class FrontendReader {
  private buffered: Buffer = Buffer.alloc(0);
  /** Statement text by prepared-statement name ('' is the unnamed one), as Parse gave it. */
  private readonly prepared = new Map<string, string>();
  /** Portals bound and not yet executed: their text and values. */
  private readonly portals = new Map<string, WireStatement>();

  constructor(private readonly onStatement: (statement: WireStatement) => void) {}

  push(chunk: Buffer): void {
    this.buffered = this.buffered.length ? Buffer.concat([this.buffered, chunk]) : chunk;
    while (this.buffered.length >= 5) {
      const length = this.buffered.readInt32BE(1);
      if (this.buffered.length < length + 1) return;
      const type = String.fromCharCode(this.buffered[0]!);
      const body = this.buffered.subarray(5, length + 1);
      this.buffered = this.buffered.subarray(length + 1);
      this.take(type, body);
    }
  }

  private take(type: string, body: Buffer): void {
    if (type === 'Q') {
      this.onStatement({ text: cString(body, 0).value, values: [] });
    } else if (type === 'P') {
      const name = cString(body, 0);
      this.prepared.set(name.value, cString(body, name.next).value);
    } else if (type === 'B') {
      const portal = cString(body, 0);
      const statement = cString(body, portal.next);
      this.portals.set(portal.value, {
        text: this.prepared.get(statement.value) ?? '',
        values: bindValues(body, statement.next),
      });
    } else if (type === 'E') {
      const portal = cString(body, 0).value;
      const bound = this.portals.get(portal);
      if (bound) this.onStatement(bound);
      this.portals.delete(portal);
    }
  }
}

function cString(buf: Buffer, at: number): { value: string; next: number } {
  const end = buf.indexOf(0, at);
  const stop = end < 0 ? buf.length : end;
  return { value: buf.subarray(at, stop).toString('utf8'), next: stop + 1 };
}

function bindValues(body: Buffer, at: number): (string | null)[] {
  let offset = at;
  const formatCount = body.readInt16BE(offset);
  offset += 2;
  const formats: number[] = [];
  for (let i = 0; i < formatCount; i += 1, offset += 2) formats.push(body.readInt16BE(offset));
  const count = body.readInt16BE(offset);
  offset += 2;
  const values: (string | null)[] = [];
  for (let i = 0; i < count; i += 1) {
    const size = body.readInt32BE(offset);
    offset += 4;
    if (size < 0) {
      values.push(null);
      continue;
    }
    const bytes = body.subarray(offset, offset + size);
    offset += size;
    const binary = (formats.length === 1 ? formats[0] : formats[i]) === 1;
    values.push(binary ? bytes.toString('hex') : bytes.toString('utf8'));
  }
  return values;
}

/** Counts ReadyForQuery messages in a stream of backend messages: each ends one round of statements. */
export class BackendReader {
  private buffered: Buffer = Buffer.alloc(0);

  constructor(private readonly onReady: () => void) {}

  push(chunk: Buffer): void {
    this.buffered = this.buffered.length ? Buffer.concat([this.buffered, chunk]) : chunk;
    while (this.buffered.length >= 5) {
      const length = this.buffered.readInt32BE(1);
      if (this.buffered.length < length + 1) return;
      const ready = this.buffered[0] === 0x5a; // 'Z'
      this.buffered = this.buffered.subarray(length + 1);
      if (ready) this.onReady();
    }
  }
}
