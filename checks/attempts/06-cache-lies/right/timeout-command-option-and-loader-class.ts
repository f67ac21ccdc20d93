// right: a loader class owning the in-flight Map, the timeout command option (drops commands still queued) beside a race for written ones
import type { Stores, User } from '../../../../lib/stores.ts';

const GET_DEADLINE_MS = 100;
const ABSENT = '-';

function userTtlSeconds(): number {
  // 300 s ± 10 %, whole seconds: EX takes an integer
  return 270 + Math.floor(Math.random() * 61);
}

function asUser(text: string): User | undefined {
  try {
    const value = JSON.parse(text) as Partial<User> | null;
    if (
      typeof value?.id === 'number' &&
      typeof value.name === 'string' &&
      typeof value.email === 'string'
    ) {
      return { id: value.id, name: value.name, email: value.email };
    }
  } catch {
    // not a user's JSON: a miss
  }
  return undefined;
}

class UserLoader {
  readonly #loading = new Map<number, Promise<User | null>>();

  get(stores: Stores, id: number): Promise<User | null> {
    let load = this.#loading.get(id);
    if (!load) {
      load = this.#load(stores, id);
      this.#loading.set(id, load);
      // once settled, success or not, the next miss reads afresh
      const forget = () => this.#loading.delete(id);
      load.then(forget, forget);
    }
    return load;
  }

  /** The cached text; undefined when Redis fails or is late. */
  async #peek(
    stores: Stores,
    key: string,
  ): Promise<string | null | undefined> {
    // `timeout` drops the GET if it is still waiting to be written (the offline queue);
    // the race ends the wait for one already written.
    const get = stores.cache
      .withCommandOptions({ timeout: GET_DEADLINE_MS })
      .get(key);
    let timer: NodeJS.Timeout | undefined;
    const late = new Promise<undefined>((resolve) => {
      timer = setTimeout(resolve, GET_DEADLINE_MS, undefined);
    });
    try {
      return await Promise.race([get, late]);
    } catch {
      return undefined;
    } finally {
      clearTimeout(timer);
      get.catch(() => {});
    }
  }

  async #load(stores: Stores, id: number): Promise<User | null> {
    const key = `user:${id}`;
    const text = await this.#peek(stores, key);
    if (text === ABSENT) return null;
    const hit = typeof text === 'string' ? asUser(text) : undefined;
    if (hit) return hit;

    const { rows } = await stores.db.query<User>(
      'SELECT id, name, email FROM users WHERE id = $1',
      [id],
    );
    const user = rows[0] ?? null;
    // A fill still queued after a second is dropped rather than landing late.
    stores.cache
      .withCommandOptions({ timeout: 1000 })
      .set(key, user ? JSON.stringify(user) : ABSENT, {
        expiration: {
          type: 'EX',
          value: user ? userTtlSeconds() : 30,
        },
      })
      .catch(() => {
        // best effort
      });
    return user;
  }
}

const loader = new UserLoader();

export function getUserResilient(
  stores: Stores,
  id: number,
): Promise<User | null> {
  return loader.get(stores, id);
}
