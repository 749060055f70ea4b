import type { UserEvent } from '@app/domain';
import type { Projection, StoredAs } from '@app/event-store';

/** Users as the ledger records them. Password hashes live apart, in user_credentials, never in events. */
export const usersProjection: Projection = {
  name: 'users',
  handles: ['UserCreated', 'UserDisabled', 'UserEnabled', 'UserPasswordChanged'],
  tables: ['users'],
  async apply(tx, stored) {
    const event = stored as StoredAs<UserEvent>;
    const username = event.streamId.slice('user-'.length);
    if (event.type === 'UserCreated') {
      const d = event.data;
      await tx.query(
        `INSERT INTO users (username, display_name, role, unit_code, disabled, created_at, version)
         VALUES ($1, $2, $3, $4, false, $5, $6)`,
        [d.username, d.displayName, d.role, d.unitCode, event.recordedAt, event.streamPosition],
      );
    } else {
      await tx.query(
        `UPDATE users SET version = $2,
                disabled = CASE $3 WHEN 'UserDisabled' THEN true WHEN 'UserEnabled' THEN false ELSE disabled END
          WHERE username = $1`,
        [username, event.streamPosition, event.type],
      );
    }
  },
};
