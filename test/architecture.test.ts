import * as fs from 'fs';
import * as path from 'path';

// The layering rules of docs/development.md, checked on the import graph so a move or a new
// import that breaks them fails here rather than in review.
const SRC = path.join(__dirname, '..', 'src');

function sourceFiles(dir: string): string[] {
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
    const p = path.join(dir, e.name);
    return e.isDirectory() ? sourceFiles(p) : e.name.endsWith('.ts') ? [p] : [];
  });
}

const FILES = sourceFiles(SRC);
const rel = (abs: string) => path.relative(SRC, abs).split(path.sep).join('/');

/** Module specifiers a file imports or re-exports (type-only imports included). */
function specifiers(file: string): string[] {
  const text = fs.readFileSync(file, 'utf8');
  return [...text.matchAll(/(?:^|\n)\s*(?:import|export)[^'";]*?from\s+'([^']+)'|require\('([^']+)'\)/g)].map((m) => m[1] ?? m[2]);
}

function resolveLocal(from: string, spec: string): string | undefined {
  if (!spec.startsWith('.')) return undefined;
  const base = path.resolve(path.dirname(from), spec);
  return [`${base}.ts`, path.join(base, 'index.ts')].find((c) => fs.existsSync(c));
}

const GRAPH = new Map(FILES.map((f) => [rel(f), specifiers(f).flatMap((s) => {
  const target = resolveLocal(f, s);
  return target && target.startsWith(SRC) ? [rel(target)] : [];
})]));
const folderOf = (file: string) => (file.includes('/') ? file.split('/')[0] : '');

describe('architecture', () => {
  test('tree/ imports nothing from the model folders', () => {
    const offending = [...GRAPH].flatMap(([file, deps]) => (folderOf(file) === 'tree' ? deps.filter((d) => folderOf(d) !== 'tree').map((d) => `${file} -> ${d}`) : []));
    expect(offending).toStrictEqual([]);
  });

  test('only src/main.ts and the CLI itself import cli/', () => {
    const offending = [...GRAPH].flatMap(([file, deps]) => (folderOf(file) !== 'cli' && file !== 'main.ts' ? deps.filter((d) => folderOf(d) === 'cli').map((d) => `${file} -> ${d}`) : []));
    expect(offending).toStrictEqual([]);
  });

  test('only tree/, cli/ and testing/ touch the file system or start processes', () => {
    const io = /^(node:)?(fs|fs\/promises|child_process|os)$/;
    const offending = FILES.filter((f) => !['tree', 'cli', 'testing'].includes(folderOf(rel(f))))
      .flatMap((f) => specifiers(f).filter((s) => io.test(s)).map((s) => `${rel(f)} imports ${s}`));
    expect(offending).toStrictEqual([]);
  });

  test('the file import graph has no cycle', () => {
    const cycles: string[] = [];
    const state = new Map<string, 'open' | 'done'>();
    const visit = (file: string, stack: string[]) => {
      if (state.get(file) === 'done') return;
      if (state.get(file) === 'open') {
        cycles.push([...stack.slice(stack.indexOf(file)), file].join(' -> '));
        return;
      }
      state.set(file, 'open');
      for (const dep of GRAPH.get(file) ?? []) visit(dep, [...stack, file]);
      state.set(file, 'done');
    };
    for (const file of [...GRAPH.keys()].sort()) visit(file, []);
    expect(cycles).toStrictEqual([]);
  });

  test('index.ts files only re-export', () => {
    const offending = FILES.filter((f) => path.basename(f) === 'index.ts')
      .filter((f) => fs.readFileSync(f, 'utf8').split('\n').some((line) => line.trim() !== '' && !line.startsWith('//') && !/^export \* from '[^']+';$/.test(line)))
      .map(rel);
    expect(offending).toStrictEqual([]);
  });
});
