import { emitDocument, formatDocument } from '../../src/tree/yaml-format';

// Generated documents for comparing the fast YAML emitter with the yaml library: tricky
// strings (indicators, quotes, number-like and YAML 1.1 words), numbers, nulls, empty and
// nested collections, and objects met twice. Seeded, so every run sees the same inputs.

/** mulberry32: a small seeded generator. */
export function random(seed: number): () => number {
  return () => {
    seed = (seed + 0x6d2b79f5) | 0;
    let t = Math.imul(seed ^ (seed >>> 15), 1 | seed);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const ALPHABET = ['a', 'b', 'y', 'n', 'o', 'x', 'e', 'E', 'T', '0', '1', '7', '9', '.', '-', '+', '_', ':', ' ', '#', '*', '"', "'", '\\', '\n', '\t', '@', '[', ']', '{', '}', ',', 'é', '/', '>', '<', '=', '~', '?', '!', '%', '&', '|', '`', '$', '^', '(', ')'];
const WORDS = ['8080', 'on', 'yes', 'null', '~', '', '0o17', '1.5', '2024-01-02', 'my-api', 'sha256:abc', '*', '>=1.0.0', '.inf', '0x1F', 'a: b', 'a #b', 'x:', ' x', 'http://x.y/z?q=1&r=2', '<<', '='];

function string(next: () => number): string {
  if (next() < 0.3) return WORDS[Math.floor(next() * WORDS.length)];
  // Mostly the characters manifests use, now and then a tricky one.
  const length = Math.floor(next() * 9);
  let s = '';
  for (let i = 0; i < length; i++) s += next() < 0.85 ? 'abcxyz-019./'[Math.floor(next() * 12)] : ALPHABET[Math.floor(next() * ALPHABET.length)];
  return s;
}

function value(next: () => number, depth: number, shared: object[]): unknown {
  const r = next();
  if (depth > 0 && r < 0.25) {
    const map: Record<string, unknown> = {};
    const size = Math.floor(next() * 4);
    for (let i = 0; i < size; i++) map[string(next)] = value(next, depth - 1, shared);
    if (next() < 0.05) shared.push(map);
    return map;
  }
  if (depth > 0 && r < 0.45) return Array.from({ length: Math.floor(next() * 4) }, () => value(next, depth - 1, shared));
  if (r < 0.48 && shared.length > 0) return shared[Math.floor(next() * shared.length)];
  if (r < 0.55) return [0, 1, -1, 5672, 1.5, -0, 1e21, 2 ** 60, Number.NaN, Infinity][Math.floor(next() * 10)];
  if (r < 0.6) return [true, false, null, undefined][Math.floor(next() * 4)];
  return string(next);
}

/** Compares the two emitters on `count` generated documents: how many the fast path answered, and the mismatches. */
export function compareEmitters(seed: number, count: number): { answered: number; mismatches: string[] } {
  const next = random(seed);
  let answered = 0;
  const mismatches: string[] = [];
  for (let i = 0; i < count; i++) {
    const shared: object[] = [];
    const data = next() < 0.8 ? Object.fromEntries(Array.from({ length: 1 + Math.floor(next() * 5) }, () => [string(next), value(next, 4, shared)])) : value(next, 4, shared);
    const fast = emitDocument(data);
    if (fast === undefined) continue;
    answered++;
    if (`---\n${fast}` !== formatDocument(data)) mismatches.push(JSON.stringify(data));
  }
  return { answered, mismatches };
}
