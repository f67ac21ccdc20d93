// Lesson 07 · A password-reset link: a token born as a sticky note.
// Whoever holds the token may set the account's password, so it is
// drawn from the operating system's CSPRNG, lives 15 minutes (its
// TTL set in the same command as its value), and works once: GETDEL
// (Redis 6.2 and newer) reads it and deletes it in one step, so a
// second use finds nothing.
import { randomBytes } from 'node:crypto';
import type { Example } from '../../lib/example.ts';

export default (async ({ cache }) => {
  const issued: string[] = [];
  try {
    // #region token
    async function issueResetToken(accountId: number) {
      // 32 bytes from the CSPRNG: 256 bits, 43 base64url characters
      const token = randomBytes(32).toString('base64url');
      await cache.set(
        `reset:${token}`,
        JSON.stringify({ accountId }),
        {
          expiration: { type: 'EX', value: 15 * 60 },
        },
      );
      return token;
    }

    async function redeemResetToken(token: string) {
      const stored = await cache.getDel(`reset:${token}`); // once
      if (stored === null) return null; // unknown, expired or used
      try {
        return (JSON.parse(stored) as { accountId: number })
          .accountId;
      } catch {
        return null; // not a value we wrote: no reset
      }
    }
    // #endregion token

    // #region use
    const token = await issueResetToken(7);
    issued.push(token);
    console.log(`token length ${token.length}`);
    console.log(`TTL ${await cache.ttl(`reset:${token}`)} s`);

    const tampered =
      (token[0] === 'A' ? 'B' : 'A') + token.slice(1);
    console.log(
      `a tampered token: ${await redeemResetToken(tampered)}`,
    );
    console.log(
      `first use: account ${await redeemResetToken(token)}`,
    );
    console.log(`second use: ${await redeemResetToken(token)}`);

    const other = await issueResetToken(7);
    issued.push(other);
    console.log(`a second link, another token: ${other !== token}`);
    // #endregion use
  } finally {
    if (issued.length)
      await cache.del(issued.map((token) => `reset:${token}`));
  }
}) satisfies Example;

// Output:
// token length 43
// TTL 900 s
// a tampered token: null
// first use: account 7
// second use: null
// a second link, another token: true
