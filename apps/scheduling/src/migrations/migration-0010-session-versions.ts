import { Migration } from '@mikro-orm/migrations';

// Each session counts the facts published about it and its seats, so that consumers reading the sessions and
// participants topics in any interleaving keep the newest. Existing sessions start at 0: their next fact is version 1,
// newer than anything a consumer stored before versions existed (stored as 0).
export class Migration0010SessionVersions extends Migration {
  override async up(): Promise<void> {
    this.addSql(`alter table sessions add column version integer not null default 0`);
  }
}
