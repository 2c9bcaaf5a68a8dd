import { Migration } from '@mikro-orm/migrations';

// Payment is a fact of one appointment's invoice (participants.finance_cleared), never of a patient: the patients
// column was only ever written false, yet read on every booking.
export class Migration0013PatientsWithoutFinance extends Migration {
  override async up(): Promise<void> {
    this.addSql(`alter table patients drop column finance_cleared`);
  }
}
