import * as fs from 'fs';
import * as path from 'path';

/** A text file as read: the path as given and its content. */
export interface SourceText {
  readonly file: string;
  readonly content: string;
}

/** Source files read from disk, plus a reader for the files they name. */
export interface ReadSources {
  readonly files: readonly SourceText[];
  /** The `.env` beside the first file, if there is one. */
  readonly dotEnv?: SourceText;
  /** Reads a file relative to the first file's directory; undefined when absent. */
  readonly readFile: (relative: string) => string | undefined;
}

/** Options of {@link readSources}. */
export interface ReadSourcesOptions {
  /** The `.env` file to use. @default - `.env` beside the first file, when it exists */
  readonly envFile?: string;
}

/**
 * Reads compose files (or any sources that name sibling files, such as `env_file:`) so the
 * pure parsers never touch the disk. Paths inside the files resolve against the first file's
 * directory, as compose resolves them.
 */
export function readSources(files: readonly string[], options: ReadSourcesOptions = {}): ReadSources {
  if (files.length === 0) throw new Error('readSources: no file given; expected at least one path');
  const read = (file: string): SourceText => {
    try {
      return { file, content: fs.readFileSync(file, 'utf8') };
    } catch (error) {
      throw new Error(`${file}: cannot be read (${(error as NodeJS.ErrnoException).code ?? String(error)}); expected a readable compose file`);
    }
  };
  const dir = path.dirname(path.resolve(files[0]));
  const envFile = options.envFile ?? path.join(path.dirname(files[0]), '.env');
  const dotEnv = options.envFile !== undefined || fs.existsSync(envFile) ? read(envFile) : undefined;
  return {
    files: files.map(read),
    ...(dotEnv ? { dotEnv } : {}),
    readFile: (relative) => {
      const resolved = path.resolve(dir, relative);
      return fs.existsSync(resolved) && fs.statSync(resolved).isFile() ? fs.readFileSync(resolved, 'utf8') : undefined;
    },
  };
}
