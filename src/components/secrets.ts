import { DitError, DitErrorLocation, received } from '../app/errors';

/**
 * A value encrypted with Bitnami Sealed Secrets (`kubeseal --raw`), safe to commit. Only the
 * cluster's controller can decrypt it, and only in the namespace it was sealed for, so it is
 * set per environment.
 */
export class SealedSecret {
  /**
   * Wraps kubeseal's output. Sealed values are base64 of a version-prefixed blob and always
   * start with "Ag"; anything else is most likely a plain-text secret pasted by mistake.
   */
  public static fromCiphertext(ciphertext: string): SealedSecret {
    const problem = typeof ciphertext === 'string' && /^Ag[A-Za-z0-9+/=.]*$/.test(ciphertext) ? undefined
      : `got ${received(typeof ciphertext === 'string' ? `${ciphertext.slice(0, 4)}…` : ciphertext)}; expected kubeseal --raw output (base64 starting with "Ag"), never the plain secret`;
    return new SealedSecret(ciphertext, problem);
  }

  private constructor(
    public readonly ciphertext: string,
    /**
     * Why the value is no kubeseal output. The factory does not throw: the component that
     * uses the value reports it, naming itself and the field. @default - none
     */
    public readonly problem?: string,
  ) {}
}

// Words that name a credential when they end a key.
const SECRET_WORDS = ['PASSWORD', 'PASSWD', 'PASS', 'PWD', 'SECRET', 'TOKEN', 'APIKEY', 'PRIVATEKEY', 'ACCESSKEY', 'SECRETKEY', 'CREDENTIALS', 'CONNECTIONSTRING'];
const SECRET_PAIRS = [['API', 'KEY'], ['PRIVATE', 'KEY'], ['ACCESS', 'KEY'], ['SECRET', 'KEY'], ['SIGNING', 'KEY'], ['ENCRYPTION', 'KEY'], ['CLIENT', 'SECRET'], ['CONNECTION', 'STRING']];
// Environment-variable style: `JWT_SIGNING_KEY`, `GITHUB_TOKEN`, `OAUTH_SECRET`.
const SNAKE_SECRET_SUFFIX = /_(KEY|TOKEN|SECRET)$/i;
// Words that end the key of a reference to a secret store rather than a secret.
const REFERENCE_WORDS = ['NAME', 'REF', 'REFS', 'REFERENCE', 'PATH', 'FILE', 'URL', 'URI', 'ENDPOINT', 'POLICY'];
// user:password@ in a URL.
const URL_CREDENTIALS = /:\/\/[^/\s:@]+:[^/\s@]+@/;
// `Password=…` or `pwd=…` in an ADO.NET/ODBC connection string.
const CONNECTION_STRING_PASSWORD = /(^|;)\s*(password|pwd)\s*=\s*[^;\s]/i;
// A value that names a secret elsewhere: `$(VAR)`/`${VAR}` substitutions, secret-store URIs.
const REFERENCE_VALUE = /^(\$\(|\$\{|infisical:\/\/|vault:|ref\+|secretref:)/i;

/** Splits `RabbitMQ__Password`, `DB_PASSWORD`, `apiKey` into upper-case words. */
function keyWords(key: string): string[] {
  return key
    .replace(/([a-z0-9])([A-Z])/g, '$1 $2')
    .split(/[^A-Za-z0-9]+/)
    .filter(Boolean)
    .map((w) => w.toUpperCase());
}

/**
 * True when a key names a reference to a secret store, not a secret: `existingSecret`,
 * `existingPasswordSecret`, `passwordSecretName`, `secretKeyRef`, `DB_PASSWORD_PATH`
 * (an Infisical path). `existingSecretPassword` is not one: it ends in the secret itself.
 */
export function isSecretReferenceKey(key: string): boolean {
  const words = keyWords(key);
  const last = words[words.length - 1] ?? '';
  if (REFERENCE_WORDS.includes(last)) return true;
  return words[0] === 'EXISTING' && ['SECRET', 'KEY', 'SECRETS'].includes(last);
}

/**
 * True when a key/value pair carries a credential in plain text: its key ends in a secret
 * word (`Jwt__Secret`, `DB_PASSWORD`, `Stripe__ApiKey`, `JWT_SIGNING_KEY`), names a password
 * anywhere (`existingSecretPassword`), or its value embeds one (`user:password@`,
 * `Password=…;`). Keys that name a reference (`SECRET_NAME`, `secretKeyRef`) and values that
 * point into a secret store are not secrets; empty values carry nothing.
 */
export function looksLikeSecret(key: string, value: unknown): boolean {
  if (value === '' || value === undefined || value === null || typeof value === 'boolean' || typeof value === 'object') return false;
  if (typeof value === 'string' && REFERENCE_VALUE.test(value)) return false;
  if (typeof value === 'string' && (URL_CREDENTIALS.test(value) || CONNECTION_STRING_PASSWORD.test(value))) return true;
  if (isSecretReferenceKey(key)) return false;
  const words = keyWords(key);
  const last = words[words.length - 1] ?? '';
  const lastTwo = words.slice(-2);
  // An annotation such as nginx's `auth-secret: basic-auth` names a Secret object.
  if (key.includes('/') && last === 'SECRET' && typeof value === 'string' && /^[a-z0-9]([-a-z0-9.]*[a-z0-9])?(\/[a-z0-9]([-a-z0-9.]*[a-z0-9])?)?$/.test(value)) return false;
  if (typeof value === 'string' && words.some((w) => w.includes('PASSWORD') || w.includes('PASSWD'))) return true;
  return SECRET_WORDS.includes(last) || SECRET_PAIRS.some(([a, b]) => lastTwo[0] === a && lastTwo[1] === b) || SNAKE_SECRET_SUFFIX.test(key);
}

/**
 * Every place in `value` (any depth, lists included) that holds a plain-text credential, as
 * dotted paths below `path`. Kubernetes `{ name, value }` pairs (container env) are read as
 * one key and its value.
 */
export function findCredentials(value: unknown, path: string): string[] {
  if (Array.isArray(value)) return value.flatMap((v, i) => findCredentials(v, `${path}[${i}]`));
  if (typeof value !== 'object' || value === null) return [];
  const record = value as Record<string, unknown>;
  const found: string[] = [];
  if (typeof record.name === 'string' && 'value' in record && looksLikeSecret(record.name, record.value)) found.push(`${path}.${record.name}`);
  for (const [key, child] of Object.entries(record)) {
    const field = `${path}.${key}`;
    if (typeof child === 'object' && child !== null) found.push(...findCredentials(child, field));
    else if (!(key === 'value' && typeof record.name === 'string') && looksLikeSecret(key, child)) found.push(field);
  }
  return found;
}

/**
 * Throws when a chart value looks like a plain-text credential (`auth.password: hunter2`),
 * at any depth. Keys that name a Secret to read (`existingSecret`, `existingPasswordSecret`,
 * `secretRef`, `passwordSecretName`) are references, not secrets.
 */
export function assertNoSecretsInValues(values: unknown, where: DitErrorLocation, path: string = where.field): void {
  const [field] = findCredentials(values, path);
  if (field !== undefined) {
    throw new DitError({ ...where, field },
      'looks like a credential with a literal value, which would be committed in plain text; expected the chart\'s existingSecret-style option pointing at a SealedSecret or an Infisical-managed Secret');
  }
}

/** Throws when any config entry looks like a plain-text secret, pointing to Infisical. */
export function assertNoPlainSecrets(configs: Record<string, unknown> | undefined, where: DitErrorLocation, secretsPath: string): void {
  for (const [key, value] of Object.entries(configs ?? {})) {
    if (looksLikeSecret(key, value)) {
      throw new DitError({ ...where, field: `configs.${key}` },
        `looks like a secret and has a literal value, which would be committed in plain text; expected it in Infisical (path ${secretsPath}), which the chart injects as an environment variable`);
    }
  }
}
