// jest's node environment, plus what a worker shares between its test files instead of
// building it again in each one's fresh module registry:
// - the TypeScript compiler (9 MB), for the tests that type-check what `import compose`
//   emits (`typeCheckEmitted`): loaded once per worker, and within a test file a source file
//   it parsed (this package's sources, the cdk8s declarations) is reused by the next program
//   while it is unchanged on disk, as the language service shares parsed files between
//   programs. 2 to 3 s a type-check before, a tenth of that after the first.
// - ajv, and the schemas it compiled: every test file that synthesizes a golden release
//   compiled the three charts' values.schema.json again (ajv 0.15 s to load, 0.2 to 0.7 s a
//   schema). A compiled validator is reused for the same options and the same schema (by its
//   JSON text), when nothing else was added to the ajv instance that compiled it.
// jest.config.js maps `typescript`, `ajv` and `ajv-formats` to scripts/jest-shared-*.js, which
// hand these out. They live in the worker's own realm: jest compares built-in objects across
// realms by their constructor's name (its typeEquality), and nothing here uses instanceof on them.
const fs = require('fs');
const { TestEnvironment } = require('jest-environment-node');

// Parsed source files, per test file (dropped at teardown: a program's files hold 200 MB).
const parsed = new Map();
const shared = {};

function typescript() {
  const ts = require('typescript');
  const createCompilerHost = (options, setParentNodes) => {
    const host = ts.createCompilerHost(options, setParentNodes);
    const getSourceFile = host.getSourceFile.bind(host);
    host.getSourceFile = (fileName, version, onError, shouldCreate) => {
      let stat;
      try {
        stat = fs.statSync(fileName);
      } catch {
        return getSourceFile(fileName, version, onError, shouldCreate);
      }
      const settings = typeof version === 'object' ? `${version.languageVersion}/${version.impliedNodeFormat}` : String(version);
      const key = `${fileName}\0${settings}\0${setParentNodes ? 1 : 0}`;
      const stamp = `${stat.mtimeMs}/${stat.size}`;
      const hit = parsed.get(key);
      if (hit && hit.stamp === stamp) return hit.file;
      const file = getSourceFile(fileName, version, onError, shouldCreate);
      if (file) parsed.set(key, { stamp, file });
      return file;
    };
    return host;
  };
  return new Proxy(ts, { get: (target, name) => (name === 'createCompilerHost' ? createCompilerHost : target[name]) });
}

/** JSON text of ajv options, or undefined when they hold a function (a custom regExp engine). */
function plainJson(value) {
  let plain = true;
  const text = JSON.stringify(value ?? {}, (_key, v) => {
    if (typeof v === 'function') plain = false;
    return v;
  });
  return plain ? text : undefined;
}

function ajv() {
  const Ajv = require('ajv');
  const compiled = new Map();
  class SharedAjv extends Ajv.default {
    constructor(options) {
      super(options);
      // The instance as its options made it; any schema, format or keyword added changes that.
      this.ditSharedKey = plainJson(options);
    }

    compile(schema, meta) {
      const key = this.ditSharedKey === undefined ? undefined : `${this.ditSharedKey}\0${meta ? 1 : 0}\0${JSON.stringify(schema)}`;
      if (key === undefined) return super.compile(schema, meta);
      let validate = compiled.get(key);
      if (!validate) {
        validate = super.compile(schema, meta);
        compiled.set(key, validate);
      }
      return validate;
    }
  }
  for (const method of ['addSchema', 'addMetaSchema', 'addKeyword', 'addFormat', 'addVocabulary', 'removeSchema', 'removeKeyword']) {
    SharedAjv.prototype[method] = function (...args) {
      this.ditSharedKey = undefined;
      return Ajv.default.prototype[method].apply(this, args);
    };
  }
  for (const name of Object.keys(Ajv)) if (!(name in SharedAjv)) SharedAjv[name] = Ajv[name];
  Object.defineProperty(SharedAjv, '__esModule', { value: true });
  SharedAjv.default = SharedAjv;
  SharedAjv.Ajv = SharedAjv;
  return SharedAjv;
}

const FACTORIES = { typescript, ajv, 'ajv-formats': () => require('ajv-formats') };

function sharedModule(name) {
  if (!(name in shared)) shared[name] = FACTORIES[name]();
  return shared[name];
}

class Environment extends TestEnvironment {
  constructor(config, context) {
    super(config, context);
    this.global.__ditSharedModule = sharedModule;
  }

  async teardown() {
    parsed.clear();
    await super.teardown();
  }
}

module.exports = Environment;
