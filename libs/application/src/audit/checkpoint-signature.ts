import { createPrivateKey, createPublicKey, sign, verify, type KeyObject } from 'node:crypto';

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
  const publicKey = createPublicKey(key).export({ type: 'spki', format: 'pem' }).toString();
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
