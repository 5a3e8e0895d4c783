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
    if (typeof ciphertext !== 'string' || !/^Ag[A-Za-z0-9+/=.]*$/.test(ciphertext)) {
      throw new DitError({ component: 'SealedSecret', field: 'ciphertext' },
        `got ${received(typeof ciphertext === 'string' ? `${ciphertext.slice(0, 4)}…` : ciphertext)}; expected kubeseal --raw output (base64 starting with "Ag"), never the plain secret`);
    }
    return new SealedSecret(ciphertext);
  }

  private constructor(public readonly ciphertext: string) {}
}

// Segments that name a credential when they end a config key.
const SECRET_WORDS = ['PASSWORD', 'PASSWD', 'PWD', 'SECRET', 'TOKEN', 'APIKEY', 'PRIVATEKEY', 'ACCESSKEY', 'SECRETKEY', 'CREDENTIALS', 'CONNECTIONSTRING'];
const SECRET_PAIRS = [['API', 'KEY'], ['PRIVATE', 'KEY'], ['ACCESS', 'KEY'], ['SECRET', 'KEY'], ['CLIENT', 'SECRET'], ['CONNECTION', 'STRING']];
// user:password@ in a URL.
const URL_CREDENTIALS = /:\/\/[^/\s:@]+:[^/\s@]+@/;

/** Splits `RabbitMQ__Password`, `DB_PASSWORD`, `apiKey` into upper-case words. */
function keyWords(key: string): string[] {
  return key
    .replace(/([a-z0-9])([A-Z])/g, '$1 $2')
    .split(/[^A-Za-z0-9]+/)
    .filter(Boolean)
    .map((w) => w.toUpperCase());
}

/**
 * True when a config entry carries a credential in plain text: its key ends in a secret word
 * (`Jwt__Secret`, `DB_PASSWORD`, `Stripe__ApiKey`), or its value embeds `user:password@`.
 * Keys where the word is not last (`TokenUrl`, `SECRET_NAME`) are names of things, not secrets.
 */
export function looksLikeSecret(key: string, value: unknown): boolean {
  if (typeof value === 'string' && URL_CREDENTIALS.test(value)) return true;
  const words = keyWords(key);
  const last = words[words.length - 1] ?? '';
  const lastTwo = words.slice(-2);
  return SECRET_WORDS.includes(last) || SECRET_PAIRS.some(([a, b]) => lastTwo[0] === a && lastTwo[1] === b);
}

/**
 * Throws when a chart value looks like a plain-text credential (`auth.password: hunter2`),
 * at any depth. Keys that name a Secret to read (`existingSecret`, `existingPasswordSecret`,
 * `secretRef`, `passwordSecretName`) are references, not secrets.
 */
export function assertNoSecretsInValues(values: unknown, where: DitErrorLocation, path: string = where.field): void {
  if (Array.isArray(values)) {
    values.forEach((v, i) => assertNoSecretsInValues(v, where, `${path}[${i}]`));
    return;
  }
  if (typeof values !== 'object' || values === null) return;
  for (const [key, value] of Object.entries(values)) {
    const field = `${path}.${key}`;
    if (typeof value === 'object' && value !== null) {
      assertNoSecretsInValues(value, where, field);
    } else if (value !== '' && value !== undefined && value !== null && typeof value !== 'boolean' && keyWords(key)[0] !== 'EXISTING' && looksLikeSecret(key, value)) {
      throw new DitError({ ...where, field },
        'looks like a credential with a literal value, which would be committed in plain text; expected the chart\'s existingSecret-style option pointing at a SealedSecret or an Infisical-managed Secret');
    }
  }
}

/** Throws when any config entry looks like a plain-text secret, pointing to Infisical. */
export function assertNoPlainSecrets(configs: Record<string, unknown> | undefined, where: DitErrorLocation, secretsPath: string): void {
  for (const [key, value] of Object.entries(configs ?? {})) {
    if (value === '' || value === undefined) continue;
    if (looksLikeSecret(key, value)) {
      throw new DitError({ ...where, field: `configs.${key}` },
        `looks like a secret and has a literal value, which would be committed in plain text; expected it in Infisical (path ${secretsPath}), which the chart injects as an environment variable`);
    }
  }
}
