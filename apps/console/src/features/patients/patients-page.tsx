// Patients: search by name in either script, email or phone; open one to edit it or record a consent.
import { Button, Input, Space, Table, Typography } from 'antd';
import { Link, useSearchParams } from 'react-router';
import type { ResponseOf } from '../../api/endpoints';
import { useApi } from '../../api/queries';
import { useAuth } from '../../auth/auth';
import { useLocale } from '../../i18n/locale';
import { formatDate } from '../../i18n/format';
import { BilingualName } from '../../ui/bits';
import { ProblemAlert } from '../../ui/problem';

type Patient = ResponseOf<'searchPatients'>['items'][number];

export default function PatientsPage() {
  const { t, language } = useLocale();
  const { can } = useAuth();
  const [params, setParams] = useSearchParams();
  const q = params.get('q') ?? '';
  const page = Number(params.get('page') ?? 1);
  const patients = useApi('searchPatients', { query: { q: q || undefined, page, pageSize: 20 } });
  return (
    <Space direction="vertical" size="middle" style={{ width: '100%' }}>
      <Space style={{ justifyContent: 'space-between', width: '100%' }} wrap>
        <Typography.Title level={1} style={{ fontSize: 24, margin: 0 }}>
          {t('patients.title')}
        </Typography.Title>
        {can('registerPatient') && (
          <Link to="/patients/new">
            <Button type="primary">{t('patients.register')}</Button>
          </Link>
        )}
      </Space>
      <Input.Search
        aria-label={t('common.search')}
        placeholder={t('addPatient.search')}
        defaultValue={q}
        allowClear
        enterButton={t('common.search')}
        style={{ maxWidth: 480 }}
        onSearch={(value) => setParams(value ? { q: value } : {})}
      />
      <ProblemAlert error={patients.error} />
      <Table<Patient>
        rowKey="id"
        loading={patients.isLoading}
        dataSource={patients.data?.items ?? []}
        pagination={{
          current: page,
          pageSize: 20,
          total: patients.data?.total ?? 0,
          onChange: (p) => setParams({ ...(q ? { q } : {}), page: String(p) }),
        }}
        columns={[
          {
            title: t('patients.name'),
            key: 'name',
            render: (p: Patient) => (
              <Link to={`/patients/${p.id}`}>
                <BilingualName
                  en={`${p.firstNameEn} ${p.lastNameEn}`}
                  ar={p.firstNameAr ? `${p.firstNameAr} ${p.lastNameAr ?? ''}`.trim() : null}
                />
              </Link>
            ),
          },
          { title: t('patients.dateOfBirth'), key: 'dob', render: (p: Patient) => formatDate(p.dateOfBirth, language) },
          { title: t('patients.phone'), key: 'phone', render: (p: Patient) => <bdi>{p.phone}</bdi> },
          { title: t('patients.email'), key: 'email', render: (p: Patient) => <bdi>{p.email}</bdi> },
          { title: t('patients.guardian'), key: 'guardian', render: (p: Patient) => p.guardian?.name },
        ]}
        scroll={{ x: true }}
      />
    </Space>
  );
}
