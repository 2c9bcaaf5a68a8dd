import { Migration } from '@mikro-orm/migrations';

// Numbers move from counter rows to one sequence per tenant, kind and year (see sessions/numbers.ts for why). Each
// existing counter becomes a sequence that continues after the last number it issued, so no number is issued twice.
// Not for a rolling deploy: replicas of the previous release still draw from the counters, so stop them first.
export class Migration0003NumberSequences extends Migration {
  override async up(): Promise<void> {
    this.addSql(`do $$
      declare counter record;
      begin
        for counter in select tenant, kind, year, last_value from number_counters loop
          execute format('create sequence if not exists %I as bigint start with %s minvalue 10001 no cycle',
            lower(format('number_%s_%s_%s', counter.kind, counter.tenant, counter.year)), counter.last_value + 1);
        end loop;
      end $$`);
    this.addSql(`drop table number_counters`);
  }
}
