import { randomBytes } from 'node:crypto';
import { isDeepStrictEqual } from 'node:util';
import { afterEach, describe, it } from 'vitest';
import { useCourse } from './harness/course.ts';
import { describeRedis } from './harness/observe.ts';
import { describeConnections, learnerConnections, type RedisConnection } from './harness/redis-clients.ts';
import { call, demand, errorText, settle, show } from './harness/teach.ts';
import { sleep, waitUntil } from './harness/wait.ts';
import {
  channelNamed,
  demandEndsWhileReconnecting,
  demandRefusalClosed,
  demandSurvivesDrops,
  holdingLine,
  event,
  leftOpen,
  listener,
  patternListener,
  type Json,
  type Module,
  notJsonOf,
  payloadsOn,
} from './10-pub-sub.helpers.ts';

const course = useCourse('10');
const { publish, subscribe } = await course.load<Module>();
const listen = listener(subscribe);

afterEach(async () => {
  await Promise.allSettled(leftOpen.splice(0).map((close) => Promise.race([close(), sleep(1000)])));
});

describe('10 · fan-out with pub/sub', () => {
  it('publishes events as JSON and delivers them deep-equal', async () => {
    const stores = await course.stores();
    const news = channelNamed('news');
    const { events } = await listen(stores.cache, news);
    const { result: receivers, redis } = await course.watch(() =>
      call(`publish(cache, "${news}", event)`, () => publish(stores.cache, news, event)),
    );
    const payloads = payloadsOn(redis, news);
    demand(
      payloads.length === 1 && notJsonOf(payloads, [event]).length === 0,
      `PUBLISH ${news} with the event as JSON, ${JSON.stringify(event)} (messages are strings: events travel as JSON)`,
      describeRedis(redis),
    );
    demand(receivers === 1, 'publish to return 1, the number of subscribers that received it', show(receivers));
    await waitUntil(() => events.length > 0, 2000);
    demand(
      events.length === 1 && isDeepStrictEqual(events[0], event),
      `the handler called once with the parsed event, ${show(event)} (JSON.parse with no reviver: a string that looks like a date stays a string)`,
      events.length === 0 ? 'the handler received nothing within 2 s' : `the handler received ${show(events)}`,
    );
    await call(`publish(cache, "${news}", event) again, the same event`, () => publish(stores.cache, news, event));
    await waitUntil(() => events.length > 1, 2000);
    demand(
      events.filter((e) => isDeepStrictEqual(e, event)).length === 2,
      'the same event published twice delivered twice: two equal events are two events (the handler is called for every message)',
      `after the second publish the handler had received ${events.length} event(s) in all`,
    );
  });

  it('delivers every kind of JSON value: strings, numbers, false, null, empty ones', async () => {
    const stores = await course.stores();
    const kinds = channelNamed('kinds');
    const { events } = await listen(stores.cache, kinds);
    const sent: Json[] = [0, false, null, '', '42', 'say "hi"', [], {}, -1.5, ['a', 0, null], { n: 0 }];
    const { redis } = await course.watch(async () => {
      for (const value of sent)
        await call(`publish(cache, "${kinds}", ${show(value)})`, () => publish(stores.cache, kinds, value));
    });
    const payloads = payloadsOn(redis, kinds);
    const notJson = notJsonOf(payloads, sent);
    demand(
      payloads.length === sent.length && notJson.length === 0,
      'each event published as its JSON text (JSON.stringify(event)), strings too: the string "42" travels as the text "42" with its quotes, or it arrives as the number 42',
      notJson.length > 0 ? notJson.join('; ') : describeRedis(redis),
    );
    await waitUntil(() => events.length >= sent.length, 2000);
    await sleep(100);
    demand(
      isDeepStrictEqual(events, sent),
      `the handler called once per event, in order, with each event deep-equal, ${show(sent)} (an event is any JSON value: 0, false, "" and null are events too, so no truthiness test)`,
      `the handler received ${show(events)}`,
    );
  });

  it('skips a message that is not JSON, and the subscription goes on', async () => {
    const stores = await course.stores();
    const news = channelNamed('news');
    const { events } = await listen(stores.cache, news);
    // Someone else on the channel, publishing plain text.
    await course.redis.publish(news, 'hello, not JSON');
    await sleep(100);
    const receivers = await call(`publish(cache, "${news}", event) after a plain-text message`, () =>
      publish(stores.cache, news, event),
    );
    await waitUntil(() => events.length > 0, 2000);
    await sleep(100);
    demand(
      receivers === 1 && events.length === 1 && isDeepStrictEqual(events[0], event),
      `the plain-text message "hello, not JSON" skipped (JSON.parse it inside a try, and do not call the handler when it throws), and the next event delivered: ${show(event)}`,
      `publish returned ${show(receivers)} (the subscriber is ${receivers === 1 ? 'still there' : 'gone'}); the handler received ${show(events)}${events.length === 0 ? ' (a throw inside the listener reaches node-redis, which loses the messages after it)' : ''}`,
    );
  });

  it('publish returns 0 when nobody listens, and 1 as soon as subscribe() has resolved', async () => {
    const stores = await course.stores();
    const room = channelNamed('room');
    const receivers = await call(`publish(cache, "${room}", event)`, () => publish(stores.cache, room, event));
    demand(receivers === 0, 'publish to return 0: nobody was subscribed, and pub/sub keeps nothing', show(receivers));
    // The subscriber's line answers 200 ms late: subscribe() must wait for the server's replies.
    const proxy = await course.proxy('redis');
    const slow = await course.stores({ redisUrl: proxy.urlFor(course.redisUrl) });
    [proxy.mode, proxy.delayMs] = ['slow', 200];
    await listen(slow.cache, room);
    const right = await call(`publish(cache, "${room}", event) right after`, () => publish(stores.cache, room, event));
    demand(
      right === 1,
      'publish right after subscribe() resolved to reach 1 subscriber: "from now on" means subscribe() resolves once the server holds the subscription (await connect() and subscribe())',
      right === 0
        ? 'publish returned 0: subscribe() resolved before the server had the subscription'
        : `publish returned ${show(right)}`,
    );
    // Another client listening by pattern receives the event too, and PUBLISH counts it.
    const heard = await patternListener(course, `${room}*`);
    const both = await call(`publish(cache, "${room}", event) with a pattern listener too`, () =>
      publish(stores.cache, room, event),
    );
    await waitUntil(() => heard.length > 0, 1000);
    demand(
      both === 2 && heard.length === 1,
      `publish to send the event and return what PUBLISH answers, 2: your subscriber and another client listening by pattern (PSUBSCRIBE ${room}*), which PUBSUB NUMSUB does not count`,
      `publish returned ${show(both)}; the pattern listener received ${heard.length === 0 ? 'nothing' : show(heard)}`,
    );
  });

  it('fans out to every subscriber', async () => {
    const stores = await course.stores();
    const news = channelNamed('news');
    const listeners: Awaited<ReturnType<typeof listen>>[] = [];
    for (let i = 1; i <= 3; i += 1)
      listeners.push(await listen(stores.cache, news, `subscriber ${i}: subscribe(cache, "${news}", handler)`));
    const receivers = await call(`publish(cache, "${news}", event)`, () => publish(stores.cache, news, event));
    demand(receivers === 3, 'publish to return 3: all three subscribers received the event', show(receivers));
    await waitUntil(() => listeners.every((l) => l.events.length > 0), 2000);
    await sleep(200); // time for a duplicate delivery to show up
    const counts = listeners.map((l) => l.events.length);
    demand(
      counts.every((n) => n === 1) && listeners.every((l) => isDeepStrictEqual(l.events[0], event)),
      'each of the three handlers called exactly once with the event',
      `events received by subscribers 1, 2, 3: ${counts.join(', ')}; e.g. ${show(listeners.find((l) => l.events.length > 0)?.events)}`,
    );
  });

  it('each handler hears its own channel only, even when names hold * or ?', async () => {
    const stores = await course.stores();
    const tag = randomBytes(4).toString('hex');
    const [starred, plain] = [`alerts*-${tag}`, `alerts-eu-${tag}`];
    const star = await listen(stores.cache, starred);
    const eu = await listen(stores.cache, plain);
    // Another client publishes on a name with characters to escape: it is the same channel.
    const odd = `alerts? café ${tag}`;
    const named = await listen(stores.cache, odd);
    const direct = await course.redis.publish(odd, JSON.stringify('direct'));
    await waitUntil(() => named.events.length > 0, 2000);
    demand(
      direct === 1 && isDeepStrictEqual(named.events, ['direct']),
      `the channel named exactly "${odd}": another client's PUBLISH on that name reaches your subscriber (a channel name is any string, used as it is, never encoded)`,
      `that PUBLISH reached ${direct} subscriber(s); your handler received ${show(named.events)}`,
    );
    const toPlain = await call(`publish(cache, "${plain}", "for eu")`, () => publish(stores.cache, plain, 'for eu'));
    const toStarred = await call(`publish(cache, "${starred}", "for star")`, () =>
      publish(stores.cache, starred, 'for star'),
    );
    await waitUntil(() => star.events.length > 0 && eu.events.length > 0, 2000);
    await sleep(200);
    demand(
      toPlain === 1 &&
        toStarred === 1 &&
        isDeepStrictEqual(star.events, ['for star']) &&
        isDeepStrictEqual(eu.events, ['for eu']),
      `each subscriber to receive the events of its own channel only, and each publish to reach 1 subscriber: a channel is a name (SUBSCRIBE), not a pattern (PSUBSCRIBE would make "${starred}" hear "${plain}" too)`,
      `publish on "${plain}" returned ${show(toPlain)}, on "${starred}" ${show(toStarred)}; the handler on "${starred}" received ${show(star.events)}, the one on "${plain}" ${show(eu.events)}`,
    );
  });

  it('subscribes on a connection of its own, and the shared client keeps answering', async () => {
    const stores = await course.stores();
    const sharedId = Number(await stores.cache.clientId());
    const before = new Set((await learnerConnections(course)).map((c) => c.id));
    await listen(stores.cache, channelNamed('news'));
    let connections: RedisConnection[] = [];
    await waitUntil(async () => {
      connections = await learnerConnections(course);
      return connections.some((c) => c.sub + c.psub > 0);
    }, 1000);
    const shared = connections.find((c) => c.id === sharedId);
    demand(
      !shared || shared.sub + shared.psub === 0,
      'the subscription on a connection of its own (cache.duplicate()): a subscribed connection can only receive messages, so the shared client would be lost to the rest of the application',
      `the shared client (CLIENT ID ${sharedId}) itself is subscribed; connections: ${describeConnections(connections)}`,
    );
    const dedicated = connections.filter((c) => !before.has(c.id) && c.sub + c.psub > 0);
    demand(
      dedicated.length === 1,
      'one new connection, subscribed to the channel',
      `connections of your code: ${describeConnections(connections)}`,
    );
    await course.redis.set('greeting', 'hello');
    const get = await settle('cache.get("greeting") while subscribed', () => stores.cache.get('greeting'), 3000);
    demand(
      get.ok && get.value === 'hello' && get.ms < 1000,
      'the shared client to answer GET greeting ("hello") within a second while the subscription is open',
      get.ok ? `it answered ${show(get.value)} after ${Math.round(get.ms)} ms` : `GET failed: ${errorText(get.error)}`,
    ); // Refused: no subscription, and no connection left behind.
    await demandRefusalClosed(course, stores.cache, subscribe);
  });

  it('unsubscribe stops delivery and closes its connection', async () => {
    const stores = await course.stores();
    const before = new Set((await learnerConnections(course)).map((c) => c.id));
    const news = channelNamed('news');
    const { events, unsubscribe } = await listen(stores.cache, news);
    let connections: RedisConnection[] = [];
    await waitUntil(async () => {
      connections = await learnerConnections(course);
      return connections.some((c) => !before.has(c.id));
    }, 1000);
    const opened = connections.filter((c) => !before.has(c.id)).map((c) => c.id);
    demand(
      opened.length > 0,
      'subscribe to open a connection of its own',
      `connections of your code: ${describeConnections(connections)}`,
    );
    await call('unsubscribe()', () => unsubscribe());
    const ping = await settle('cache.ping() on the shared client after unsubscribe()', () => stores.cache.ping(), 1000);
    demand(
      ping.ok && ping.value === 'PONG',
      'the shared client still open and answering after unsubscribe(): close the dedicated connection, never the cache you were given (the rest of the application uses it)',
      ping.ok ? `PING answered ${show(ping.value)}` : `PING failed: ${errorText(ping.error)}`,
    );
    const closed = await waitUntil(async () => {
      connections = await learnerConnections(course);
      return !connections.some((c) => opened.includes(c.id));
    }, 2000);
    demand(
      closed,
      'unsubscribe() to close the connection subscribe opened (a subscriber left open is a connection leaked on every call)',
      `still open 2 s later: ${describeConnections(connections.filter((c) => opened.includes(c.id)))}`,
    );
    const receivers = await call(`publish(cache, "${news}", event) after unsubscribe()`, () =>
      publish(stores.cache, news, event),
    );
    await sleep(300);
    demand(
      receivers === 0 && events.length === 0,
      'no delivery after unsubscribe(): publish returns 0 and the handler is not called',
      `publish returned ${show(receivers)}; the handler received ${show(events)}`,
    );
    // The same, called while node-redis reconnects after a drop: it must not subscribe again.
    await demandEndsWhileReconnecting(course, listen, stores.cache, (channel, value) =>
      publish(stores.cache, channel, value),
    );
  });

  it('survives its connection dropping: an error listener of its own, and the subscription goes on', async () => {
    const stores = await course.stores();
    await demandSurvivesDrops(course, listen, stores.cache, (channel, value) => publish(stores.cache, channel, value));
  });

  it('once unsubscribe() resolves, the handler is called no more', async () => {
    const stores = await course.stores();
    const line = await holdingLine(course);
    const held = await course.stores({ redisUrl: line.url });
    const news = channelNamed('news');
    const { events, unsubscribe } = await listen(held.cache, news);
    // What the server sends the subscriber now waits: the event below is on its way during unsubscribe(),
    // and reaches the subscriber together with the answer to UNSUBSCRIBE.
    line.hold();
    await call(`publish(cache, "${news}", event)`, () => publish(stores.cache, news, event));
    const unsubscribing = settle('unsubscribe() while an event is on its way', () => unsubscribe());
    await waitUntil(() => /unsubscribe/i.test(line.held()), 300, 5);
    line.release();
    const done = await unsubscribing;
    const atResolve = events.length;
    await sleep(300);
    demand(
      done.ok && events.length === atResolve,
      'no call of the handler once unsubscribe() has resolved: call the handler as each message arrives, and await the close (and any UNSUBSCRIBE before it) before returning, so the promise means "delivery has stopped"',
      done.ok
        ? `the handler received ${events.length - atResolve} event(s) after unsubscribe() resolved (${atResolve} before)`
        : `unsubscribe() rejected with ${errorText(done.error)}`,
    );
  });
});
