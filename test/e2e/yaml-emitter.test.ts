import { compareEmitters } from '../tree/yaml-fuzz';

// The fast YAML emitter against the yaml library on many more generated documents than
// npm test can afford (test/tree/yaml-format.test.ts runs 3,000).
describe('the fast YAML emitter, at length', () => {
  it.each([1, 2, 3, 4])('writes the same bytes as the yaml library wherever it answers (seed %d, 50,000 documents)', (seed) => {
    const { answered, mismatches } = compareEmitters(seed, 50_000);
    expect(mismatches.slice(0, 5)).toStrictEqual([]);
    expect(answered).toBeGreaterThan(10_000);
  });
});
