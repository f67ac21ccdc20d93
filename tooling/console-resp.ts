// The Redis side of the lessons' console: a command line split as redis-cli splits it, the
// server's reply kept with its exact RESP2 type, and that reply written as redis-cli writes it
// ("OK", "(integer) 1", "(nil)", `1) "a"`). Pure functions: tooling/console.ts does the talking.

/** One RESP2 reply, with its type: redis-cli writes a status and a bulk string differently. */
export type TypedReply =
  | { type: 'status'; value: string }
  | { type: 'error'; value: string }
  | { type: 'integer'; value: number }
  | { type: 'bulk'; value: string }
  | { type: 'nil' }
  | { type: 'array'; value: TypedReply[] };

/** Parses one reply at `start`: the reply and where the next begins, or undefined when incomplete. */
export function parseReply(buffer: Buffer, start = 0): { reply: TypedReply; next: number } | undefined {
  const lineEnd = buffer.indexOf('\r\n', start);
  if (lineEnd < 0) return undefined;
  const kind = String.fromCharCode(buffer[start]!);
  const line = buffer.toString('utf8', start + 1, lineEnd);
  const next = lineEnd + 2;
  switch (kind) {
    case '+':
      return { reply: { type: 'status', value: line }, next };
    case '-':
      return { reply: { type: 'error', value: line }, next };
    case ':':
      return { reply: { type: 'integer', value: Number(line) }, next };
    case '$': {
      const length = Number(line);
      if (length < 0) return { reply: { type: 'nil' }, next };
      if (buffer.length < next + length + 2) return undefined;
      return { reply: { type: 'bulk', value: buffer.toString('utf8', next, next + length) }, next: next + length + 2 };
    }
    case '*': {
      const count = Number(line);
      if (count < 0) return { reply: { type: 'nil' }, next };
      const items: TypedReply[] = [];
      let at = next;
      for (let i = 0; i < count; i++) {
        const item = parseReply(buffer, at);
        if (!item) return undefined;
        items.push(item.reply);
        at = item.next;
      }
      return { reply: { type: 'array', value: items }, next: at };
    }
    default:
      throw new Error(`unexpected reply from Redis (${JSON.stringify(kind)})`);
  }
}

/** A command as RESP2 sends it. */
export function encodeCommand(args: readonly string[]): string {
  let out = `*${args.length}\r\n`;
  for (const arg of args) out += `$${Buffer.byteLength(arg)}\r\n${arg}\r\n`;
  return out;
}

const ESCAPES: Record<string, string> = { n: '\n', r: '\r', t: '\t', b: '\b', a: '\x07', '"': '"', '\\': '\\' };

/**
 * Splits a command line into arguments as redis-cli does: spaces separate, "double quotes" take
 * \n \t \xHH and friends, 'single quotes' only \'. Throws on an unclosed quote.
 */
export function splitCommandLine(line: string): string[] {
  const args: string[] = [];
  let i = 0;
  while (i < line.length) {
    while (i < line.length && /\s/.test(line[i]!)) i++;
    if (i >= line.length) break;
    let arg = '';
    let quote: '"' | "'" | undefined;
    for (; i < line.length; i++) {
      const c = line[i]!;
      if (quote === '"') {
        if (c === '\\' && line[i + 1] === 'x' && /^[0-9a-fA-F]{2}$/.test(line.slice(i + 2, i + 4))) {
          arg += String.fromCharCode(parseInt(line.slice(i + 2, i + 4), 16));
          i += 3;
        } else if (c === '\\' && i + 1 < line.length) arg += ESCAPES[line[++i]!] ?? line[i];
        else if (c === '"') {
          quote = undefined;
          if (i + 1 < line.length && !/\s/.test(line[i + 1]!))
            throw new Error('closing quote must be followed by a space');
        } else arg += c;
      } else if (quote === "'") {
        if (c === '\\' && line[i + 1] === "'") arg += line[++i];
        else if (c === "'") {
          quote = undefined;
          if (i + 1 < line.length && !/\s/.test(line[i + 1]!))
            throw new Error('closing quote must be followed by a space');
        } else arg += c;
      } else if (/\s/.test(c)) break;
      else if ((c === '"' || c === "'") && arg === '') quote = c;
      else arg += c;
    }
    if (quote) throw new Error('unbalanced quotes');
    args.push(arg);
  }
  return args;
}

/** A bulk string as redis-cli shows it: quoted, with what is not printable escaped. */
function quoted(value: string): string {
  let out = '"';
  for (const ch of value) {
    const code = ch.codePointAt(0)!;
    if (ch === '"' || ch === '\\') out += `\\${ch}`;
    else if (ch === '\n') out += '\\n';
    else if (ch === '\r') out += '\\r';
    else if (ch === '\t') out += '\\t';
    else if (code < 0x20 || code === 0x7f) out += `\\x${code.toString(16).padStart(2, '0')}`;
    else if (code > 0x7f) for (const byte of Buffer.from(ch)) out += `\\x${byte.toString(16).padStart(2, '0')}`;
    else out += ch;
  }
  return `${out}"`;
}

/** The reply as redis-cli prints it to a terminal. */
export function renderReply(reply: TypedReply, indent = 0): string {
  switch (reply.type) {
    case 'status':
      return reply.value;
    case 'error':
      return `(error) ${reply.value}`;
    case 'integer':
      return `(integer) ${reply.value}`;
    case 'bulk':
      return quoted(reply.value);
    case 'nil':
      return '(nil)';
    case 'array': {
      if (reply.value.length === 0) return '(empty array)';
      const width = String(reply.value.length).length;
      return reply.value
        .map((item, i) => {
          const label = `${String(i + 1).padStart(width)}) `;
          const body = renderReply(item, indent + label.length);
          return `${i === 0 ? '' : ' '.repeat(indent)}${label}${body}`;
        })
        .join('\n');
    }
    default:
      return reply satisfies never;
  }
}
