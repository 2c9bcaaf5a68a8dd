// Add a patient to a session: search by name in either script, add, and see a refusal where it happened. A full session
// (409 SESSION_FULL) offers the other sessions of the same service that still have spots.
import { useState } from 'react';
import { App, Button, Card, List, Select, Space, Typography } from 'antd';
import { Link } from 'react-router';
import { clinicToday } from '@agdar/contracts/browser';
import { ApiProblem } from '../../api/client';
import type { ResponseOf } from '../../api/endpoints';
import { useApi, useApiMutation } from '../../api/queries';
import { useDirectory, zoneOf } from '../../api/directory';
import { useLocale } from '../../i18n/locale';
import { formatClock, formatDate } from '../../i18n/format';
import { ProblemAlert } from '../../ui/problem';
import { shownOffer } from './session-rules';

type Session = ResponseOf<'getSession'>;
const REFRESHES = ['getSession', 'listSessions', 'availableSessions', 'sessionHistory'] as const;
const ALTERNATIVE_DAYS = 14;

function addDays(date: string, days: number): string {
  const d = new Date(`${date}T00:00:00Z`);
  d.setUTCDate(d.getUTCDate() + days);
  return d.toISOString().slice(0, 10);
}

export function AddPatient({ session }: { session: Session }) {
  const { t, language } = useLocale();
  const { message } = App.useApp();
  const directory = useDirectory();
  const [search, setSearch] = useState('');
  const [patientId, setPatientId] = useState<string | null>(null);
  const [error, setError] = useState<unknown>(null);
  const add = useApiMutation('addPatient', [...REFRESHES]);
  const patients = useApi('searchPatients', { query: { q: search || undefined, pageSize: 20 } });
  const offer = shownOffer(session.actions, 'addPatients');
  const full = offer?.blockers.includes('FULL') || (error instanceof ApiProblem && error.code === 'SESSION_FULL');
  const today = clinicToday(zoneOf(directory, session.clinicId));
  const alternatives = useApi(
    'availableSessions',
    {
      query: {
        clinicId: session.clinicId,
        serviceTypeId: session.serviceTypeId,
        from: today,
        to: addDays(today, ALTERNATIVE_DAYS),
        pageSize: 10,
      },
    },
    { enabled: full },
  );

  if (!offer || offer.blockers.includes('STARTED')) {
    return <Typography.Text type="secondary">{t('addPatient.closed')}</Typography.Text>;
  }

  async function addTo(sessionId: string) {
    if (!patientId) return;
    setError(null);
    try {
      const participant = await add.mutateAsync({ params: { id: sessionId }, body: { patientId } });
      const name = (language === 'ar' && participant.patientNameAr) || participant.patientNameEn;
      message.success(t('addPatient.added', { name, number: participant.appointmentNumber }));
      setPatientId(null);
      setSearch('');
    } catch (e) {
      setError(e);
    }
  }

  const others = (alternatives.data?.items ?? []).filter((s) => s.id !== session.id);
  return (
    <Card title={<span id="add-patient-title">{t('addPatient.title')}</span>} size="small">
      <Space direction="vertical" style={{ width: '100%' }}>
        <Space.Compact style={{ width: '100%', maxWidth: 640 }}>
          <Select
            aria-labelledby="add-patient-title"
            showSearch={{ filterOption: false, onSearch: setSearch }}
            placeholder={t('addPatient.search')}
            value={patientId}
            onChange={(v) => {
              setPatientId(v);
              setError(null);
            }}
            loading={patients.isFetching}
            style={{ flex: 1 }}
            data-testid="patient-search"
            options={(patients.data?.items ?? []).map((p) => {
              const en = `${p.firstNameEn} ${p.lastNameEn}`;
              const ar = p.firstNameAr ? `${p.firstNameAr} ${p.lastNameAr ?? ''}`.trim() : null;
              return {
                value: p.id,
                label: language === 'ar' && ar ? `${ar} (${en})` : ar ? `${en} (${ar})` : en,
              };
            })}
          />
          <Button
            type="primary"
            disabled={!patientId}
            loading={add.isPending}
            onClick={() => addTo(session.id)}
            data-testid="add-patient"
          >
            {t('addPatient.submit')}
          </Button>
        </Space.Compact>
        <ProblemAlert error={error} testId="add-patient-problem" />
        {full && (
          <div data-testid="alternatives">
            <Typography.Text>
              {others.length || alternatives.isLoading ? t('addPatient.alternatives') : t('addPatient.noAlternatives')}
            </Typography.Text>
            <List
              size="small"
              loading={alternatives.isLoading}
              dataSource={others}
              renderItem={(s) => (
                <List.Item
                  actions={[
                    <Button key="add" size="small" onClick={() => addTo(s.id)}>
                      {t('addPatient.addHere')}
                    </Button>,
                  ]}
                >
                  <Link to={`/sessions/${s.id}`}>
                    {formatDate(s.scheduledDate, language)} · <bdi>{formatClock(s.scheduledTime, language)}</bdi> ·{' '}
                    <bdi>{s.sessionNumber}</bdi>
                  </Link>{' '}
                  <Typography.Text type="secondary">{t('addPatient.spots', { n: s.availableSpots })}</Typography.Text>
                </List.Item>
              )}
            />
          </div>
        )}
      </Space>
    </Card>
  );
}
