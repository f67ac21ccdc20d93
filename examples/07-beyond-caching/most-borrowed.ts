// Lesson 07 · A library's most-borrowed books this week, as a
// sorted set: ZINCRBY counts a loan and answers the new count;
// ZRANGE … REV WITHSCORES lists the top; ZREVRANK gives a book's
// position from the top, counted from 0, or null for a book nobody
// borrowed. Equal scores are ordered by member, reversed in the REV
// views, so ties come out the same way every time. The week's board
// is a sticky note too: it expires two weeks after its first loan.
import type { Example } from '../../lib/example.ts';

export default (async ({ cache }) => {
  const week = 'borrowed:2024-w23';
  try {
    // #region loans
    async function countLoan(title: string) {
      const [loans] = await cache
        .multi()
        .zIncrBy(week, 1, title)
        .expire(week, 14 * 24 * 60 * 60, 'NX')
        .exec();
      return Number(loans);
    }

    const desk = [
      'Dune',
      'Emma',
      'Dune',
      'Beloved',
      'Emma',
      'Ulysses',
    ];
    for (const title of desk) await countLoan(title);
    console.log(
      `Dune borrowed again: now ${await countLoan('Dune')}`,
    );
    await countLoan('Emma');
    // #endregion loans

    // #region top
    const top = await cache.zRangeWithScores(week, 0, 2, {
      REV: true,
    });
    top.forEach(({ value, score }, i) =>
      console.log(`${i + 1}. ${value}, ${score} loan(s)`),
    );

    const dune = await cache.zRevRank(week, 'Dune'); // 0 is the top
    console.log(`Dune's place: ${dune === null ? '-' : dune + 1}`);
    const absent = await cache.zRevRank(week, 'Middlemarch');
    console.log(`Middlemarch's ZREVRANK: ${absent}`);
    // #endregion top
  } finally {
    await cache.del(week);
  }
}) satisfies Example;

// Output:
// Dune borrowed again: now 3
// 1. Emma, 3 loan(s)
// 2. Dune, 3 loan(s)
// 3. Ulysses, 1 loan(s)
// Dune's place: 2
// Middlemarch's ZREVRANK: null
