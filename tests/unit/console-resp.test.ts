// The Redis side of the lessons' console: command lines split as redis-cli splits them, and
// replies written as redis-cli writes them, from the bytes Redis sends.
import { describe, expect, it } from 'vitest';
import { encodeCommand, parseReply, renderReply, splitCommandLine } from '../../tooling/console-resp.ts';

const render = (wire: string) => renderReply(parseReply(Buffer.from(wire))!.reply);

describe("the console's Redis replies", () => {
  it('are written as redis-cli writes them, by their RESP2 type', () => {
    expect(render('+OK\r\n')).toBe('OK');
    expect(render('-WRONGTYPE Operation against a key\r\n')).toBe('(error) WRONGTYPE Operation against a key');
    expect(render(':1\r\n')).toBe('(integer) 1');
    expect(render('$5\r\nhello\r\n')).toBe('"hello"');
    expect(render('$-1\r\n')).toBe('(nil)');
    expect(render('*0\r\n')).toBe('(empty array)');
    expect(render('*2\r\n$1\r\na\r\n$1\r\nb\r\n')).toBe('1) "a"\n2) "b"');
    expect(render('*2\r\n:1\r\n*2\r\n:2\r\n$-1\r\n')).toBe('1) (integer) 1\n2) 1) (integer) 2\n   2) (nil)');
  });

  it('escape what is not printable ASCII, as redis-cli does', () => {
    const snowman = Buffer.from('☃');
    const wire = Buffer.concat([Buffer.from(`$${snowman.length + 5}\r\na"b\\\n`), snowman, Buffer.from('\r\n')]);
    expect(renderReply(parseReply(wire)!.reply)).toBe('"a\\"b\\\\\\n\\xe2\\x98\\x83"');
  });

  it('number the items of a long array with aligned labels', () => {
    const items = Array.from({ length: 10 }, (_, i) => `:${i}\r\n`).join('');
    const lines = render(`*10\r\n${items}`).split('\n');
    expect(lines[0]).toBe(' 1) (integer) 0');
    expect(lines[9]).toBe('10) (integer) 9');
  });

  it('wait for a reply that has not fully arrived', () => {
    expect(parseReply(Buffer.from('$5\r\nhel'))).toBeUndefined();
    expect(parseReply(Buffer.from('*2\r\n:1\r\n'))).toBeUndefined();
  });
});

describe("the console's command lines", () => {
  it('split on spaces, with double and single quotes as redis-cli takes them', () => {
    expect(splitCommandLine('SET greeting hello EX 60')).toEqual(['SET', 'greeting', 'hello', 'EX', '60']);
    expect(splitCommandLine('SET k "two words\\n\\x41"')).toEqual(['SET', 'k', 'two words\nA']);
    expect(splitCommandLine("SET k 'it\\'s'  ")).toEqual(['SET', 'k', "it's"]);
    expect(splitCommandLine('  ')).toEqual([]);
    expect(splitCommandLine('SET k ""')).toEqual(['SET', 'k', '']);
  });

  it('refuse an unbalanced quote', () => {
    expect(() => splitCommandLine('SET k "open')).toThrow(/unbalanced/);
    expect(() => splitCommandLine('SET k "a"b')).toThrow(/space/);
  });

  it('travel as RESP arrays of bulk strings', () => {
    expect(encodeCommand(['SET', 'k', 'é'])).toBe('*3\r\n$3\r\nSET\r\n$1\r\nk\r\n$2\r\né\r\n');
  });
});
