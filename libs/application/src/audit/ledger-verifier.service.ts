import { Injectable, type OnModuleInit } from '@nestjs/common';
import { EventStore } from '@app/event-store';
import { CheckpointStore } from './checkpoints';
import { type LedgerVerification, verifyLedger } from './ledger-verification';

/** Verifies the live events table: the whole chain, page by page, against every signed checkpoint. */
@Injectable()
export class LedgerVerifier implements OnModuleInit {
  constructor(
    private readonly store: EventStore,
    private readonly checkpoints: CheckpointStore,
  ) {}

  /** A key that cannot be read should stop the start, not surface later as a failed verification. */
  onModuleInit(): void {
    try {
      this.checkpoints.trustedPublicKey();
    } catch (error) {
      throw new Error(
        `配置错误：无法读取审计公钥（AUDIT_PUBLIC_KEY / AUDIT_PUBLIC_KEY_FILE / AUDIT_SIGNING_KEY）：${(error as Error).message}`,
      );
    }
  }

  async verify(): Promise<LedgerVerification> {
    // Checkpoints first: every one of them then lies at or below the head the walk will reach.
    const checkpoints = await this.checkpoints.signed();
    return verifyLedger(this.store.iterateAll(), checkpoints, {
      publicKeyPem: this.checkpoints.trustedPublicKey(),
      lookAhead: false,
    });
  }
}
