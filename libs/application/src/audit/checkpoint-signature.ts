import {
  createPrivateKey,
  createPublicKey,
  generateKeyPairSync,
  sign,
  verify,
  type KeyObject,
} from 'node:crypto';

export interface SignedCheckpoint {
  position: number;
  hash: string;
  signedAt: string;
  reason: string;
  publicKey: string;
  signature: string;
}

/** Exactly the bytes a checkpoint's signature covers. */
export const checkpointMessage = (c: Pick<SignedCheckpoint, 'position' | 'hash' | 'signedAt'>): Buffer =>
  Buffer.from(`skills-ledger checkpoint\n${c.position}\n${c.hash}\n${c.signedAt}`, 'utf8');

export function signCheckpoint(
  key: KeyObject,
  head: { position: number; hash: string },
  signedAt: Date,
  reason: string,
): SignedCheckpoint {
  const body = { position: head.position, hash: head.hash, signedAt: signedAt.toISOString() };
  const publicKey = publicKeyOf(key);
  const signature = sign(null, checkpointMessage(body), key).toString('base64');
  return { ...body, reason, publicKey, signature };
}

/** True when `checkpoint` was signed by the holder of `publicKeyPem` (the key an auditor trusts, not the one it carries). */
export function checkpointSignatureValid(checkpoint: SignedCheckpoint, publicKeyPem: string): boolean {
  try {
    return verify(
      null,
      checkpointMessage(checkpoint),
      createPublicKey(publicKeyPem),
      Buffer.from(checkpoint.signature, 'base64'),
    );
  } catch {
    return false;
  }
}

export function loadSigningKey(pem: string): KeyObject {
  const key = createPrivateKey(pem);
  if (key.asymmetricKeyType !== 'ed25519')
    throw new Error('AUDIT_SIGNING_KEY must be an Ed25519 private key');
  return key;
}

/**
 * The public key an auditor trusts, as SPKI PEM. A private key is accepted too (the public half is
 * derived), so a service that only has its signing key can still check what it signed.
 */
export function loadPublicKey(pem: string): string {
  const text = pem.replace(/\\n/g, '\n');
  const key = /PRIVATE KEY/.test(text) ? createPublicKey(createPrivateKey(text)) : createPublicKey(text);
  if (key.asymmetricKeyType !== 'ed25519') throw new Error('the audit public key must be an Ed25519 key');
  return key.export({ type: 'spki', format: 'pem' }).toString();
}

export const publicKeyOf = (key: KeyObject): string =>
  createPublicKey(key).export({ type: 'spki', format: 'pem' }).toString();

/** A fresh Ed25519 pair for AUDIT_SIGNING_KEY_FILE (private, PKCS#8 PEM) and auditors (public, SPKI PEM). */
export function generateSigningKeyPair(): { privateKeyPem: string; publicKeyPem: string } {
  const { privateKey, publicKey } = generateKeyPairSync('ed25519');
  return {
    privateKeyPem: privateKey.export({ type: 'pkcs8', format: 'pem' }).toString(),
    publicKeyPem: publicKey.export({ type: 'spki', format: 'pem' }).toString(),
  };
}
