import { Migration } from '@mikro-orm/migrations';

// The projection keeps the patient's Arabic name beside the English one, so a roster shows each participant by name in
// either script without a call per participant. Filled by the next PatientRegistered/PatientUpdated of each patient.
export class Migration0005PatientNamesAr extends Migration {
  override async up(): Promise<void> {
    this.addSql(`alter table patients add column display_name_ar text`);
  }
}
