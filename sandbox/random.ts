import { uniformInt } from 'pure-rand/distribution/uniformInt';
import { xoroshiro128plus } from 'pure-rand/generator/xoroshiro128plus';

/** The characters of the ids the reference pages show (`prn_8hJkLmNpQrStUvWx`): letters and digits. */
const idAlphabet = '123456789ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz';

/** A seeded source of choices (pure-rand's xoroshiro128+): the same seed gives the same data. */
export class Random {
  private readonly rng;

  constructor(seed: number) {
    this.rng = xoroshiro128plus(seed | 0);
  }

  /** An integer from 0 to `below - 1`. */
  int(below: number): number {
    return below <= 1 ? 0 : uniformInt(this.rng, 0, below - 1);
  }

  pick<T>(values: readonly T[]): T {
    return values[this.int(values.length)] as T;
  }

  /** True with probability `p` (0 to 1). */
  chance(p: number): boolean {
    return this.int(1_000_000) < p * 1_000_000;
  }

  /** `prefix` and `length` random id characters. */
  id(prefix: string, length: number): string {
    let suffix = '';
    for (let i = 0; i < length; i++) suffix += idAlphabet[this.int(idAlphabet.length)];
    return prefix + suffix;
  }
}

/** An id no one can guess or repeat, for objects created at run time (not seeded). */
export function freshId(prefix: string, length: number): string {
  const bytes = crypto.getRandomValues(new Uint8Array(length));
  let suffix = '';
  for (const byte of bytes) suffix += idAlphabet[byte % idAlphabet.length];
  return prefix + suffix;
}
