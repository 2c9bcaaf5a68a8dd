import { Migration } from '@mikro-orm/migrations';
import { idempotencyTableSql } from '@agdar/service-kit';

// Idempotency-Keys are recorded with the change they made (see libs/service-kit/src/idempotency.ts).
export class Migration0003IdempotencyKeys extends Migration {
  override async up(): Promise<void> {
    for (const statement of idempotencyTableSql) this.addSql(statement);
  }
}
