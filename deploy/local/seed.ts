// Demo data for the local stack, created through the public API like a clinic would, and safe to run again.
import { ApiClient } from '@agdar/testing';

export interface SeedTokens {
  platformAdmin: string;
  admin: string;
  reception: string;
}

const DEMO_PATIENTS = [
  { firstNameEn: 'Sara', lastNameEn: 'Haddad', firstNameAr: 'سارة', lastNameAr: 'حداد', dateOfBirth: '2017-09-14', preferredLanguage: 'ar', channels: ['sms', 'email'], phone: '+966501110001', guardian: { name: 'Mona Haddad', relationship: 'mother', email: 'mona.haddad@example.com' } },
  { firstNameEn: 'Omar', lastNameEn: 'Khalil', firstNameAr: 'عمر', lastNameAr: 'خليل', dateOfBirth: '2016-02-03', preferredLanguage: 'ar', channels: ['sms'], phone: '+966501110002' },
  { firstNameEn: 'Layla', lastNameEn: 'Nasser', firstNameAr: 'ليلى', lastNameAr: 'ناصر', dateOfBirth: '2018-11-21', preferredLanguage: 'en', channels: ['email'], email: 'layla.nasser@example.com' },
  { firstNameEn: 'Yusuf', lastNameEn: 'Saleh', firstNameAr: 'يوسف', lastNameAr: 'صالح', dateOfBirth: '2015-06-30', preferredLanguage: 'en', channels: ['email', 'sms'], email: 'yusuf.saleh@example.com', phone: '+966501110004' },
];

export async function seedDemoData(apiUrl: string, tokens: SeedTokens, say: (line: string) => void): Promise<void> {
  const api = new ApiClient(apiUrl);
  const tenant = await api.as(tokens.platformAdmin).post('/tenants', { code: 'AGDAR', name: 'Agdar Child Development Centre', timezone: 'Asia/Riyadh', currency: 'SAR', vatRate: 0.15 });
  if (tenant.status !== 201 && tenant.body?.code !== 'TENANT_EXISTS') throw new Error(`seeding the AGDAR tenant failed: ${JSON.stringify(tenant.body)}`);

  const reception = api.as(tokens.reception);
  let created = 0;
  for (const patient of DEMO_PATIENTS) {
    const existing = await reception.get(`/patients?q=${encodeURIComponent(patient.phone ?? patient.email ?? '')}`);
    if (existing.body?.total > 0) continue;
    const response = await reception.post('/patients', patient);
    if (response.status !== 201) throw new Error(`seeding patient ${patient.firstNameEn} failed: ${JSON.stringify(response.body)}`);
    created++;
  }
  say(`demo data: tenant AGDAR, ${DEMO_PATIENTS.length} patients (${created} new)`);
}
