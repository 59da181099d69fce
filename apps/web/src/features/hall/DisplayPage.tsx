import type { DisplayCall, DisplayEvent } from '@yimen/core';
import { Button, Result } from 'antd';
import { useCallback, useEffect, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useParams } from 'react-router';
import './hall.css';
import { useGroupName } from './parts.tsx';
import { useHallStream } from './useHallStream.ts';

const FLASH_MS = 8000;

/**
 * 叫号屏: the screen on the hall's wall. Public (it shows numbers and windows only, never a
 * name), so a hall television opens it without signing in. Live by server-sent events; a
 * dropped connection shows "reconnecting" in the corner until it is back.
 */
export default function DisplayPage() {
  const { code } = useParams();
  const { t, i18n } = useTranslation();
  const groupName = useGroupName();
  const [flash, setFlash] = useState<DisplayCall>();
  const [voice, setVoice] = useState(false);
  const voiceRef = useRef(voice);
  voiceRef.current = voice;
  const [clock, setClock] = useState(() => new Date());
  useEffect(() => {
    const id = setInterval(() => setClock(new Date()), 15_000);
    return () => clearInterval(id);
  }, []);
  const timer = useRef<ReturnType<typeof setTimeout>>(undefined);
  const onMessage = useCallback(
    (m: DisplayEvent) => {
      const last = m.calls.at(-1);
      if (!last) return;
      setFlash(last);
      clearTimeout(timer.current);
      timer.current = setTimeout(() => setFlash(undefined), FLASH_MS);
      if (voiceRef.current && 'speechSynthesis' in window) {
        for (const c of m.calls) {
          const u = new SpeechSynthesisUtterance(
            t('hall.display.speech', {
              number: c.number.split('').join(' '),
              window: c.windowName,
            }),
          );
          u.lang = i18n.language === 'en' ? 'en-US' : 'zh-CN';
          window.speechSynthesis.speak(u);
        }
      }
    },
    [t, i18n.language],
  );
  useEffect(() => () => clearTimeout(timer.current), []);
  const { state, status, error } = useHallStream(code, onMessage);

  if (error === 404)
    return (
      <div className="hall-screen" style={{ background: '#fff' }}>
        <Result status="404" title={t('hall.display.notFound')} />
      </div>
    );
  const now = flash ?? state?.recent[0];
  return (
    <div className="hall-screen hall-display" data-testid="hall-display">
      <header className="hall-display-head">
        <h1>{state?.servicePoint.name ?? t('hall.display.title')}</h1>
        <span>
          {clock.toLocaleTimeString(i18n.language === 'en' ? 'en-GB' : 'zh-CN', {
            hour: '2-digit',
            minute: '2-digit',
          })}
        </span>
        <span className="hall-live" data-status={status} data-testid="display-status" role="status">
          {t(`hall.display.${status}`)}
        </span>
        <Button ghost size="small" onClick={() => setVoice((v) => !v)} aria-pressed={voice}>
          {voice ? t('hall.display.voiceOff') : t('hall.display.voiceOn')}
        </Button>
      </header>
      <main className="hall-display-main">
        <section
          className={`hall-now${flash ? ' hall-flash' : ''}`}
          key={flash?.eventId ?? 'idle'}
          aria-live="assertive"
          data-testid="display-now"
        >
          {now ? (
            <>
              <div className="hall-now-label">
                {now.recall ? t('hall.display.recall') : t('hall.display.nowCalling')}
              </div>
              <div className="hall-now-number" data-testid="display-now-number">
                {now.number}
              </div>
              <div className="hall-now-window">
                {t('hall.display.pleaseGo', { window: now.windowName })}
              </div>
              <div className="hall-now-label">{groupName(now)}</div>
            </>
          ) : (
            <div className="hall-now-label">{t('hall.display.idle')}</div>
          )}
        </section>
        <section className="hall-windows" aria-label={t('hall.display.windows')}>
          {state?.windows.map((w) => (
            <div className="hall-window-row" key={w.name} data-testid="display-window">
              <span>{w.name}</span>
              <span className={`num${w.number ? '' : ' idle'}`}>{w.number ?? '—'}</span>
            </div>
          ))}
        </section>
      </main>
      <footer className="hall-display-foot">
        <div className="hall-recent">
          <strong>{t('hall.display.recent')}</strong>
          {state?.recent.map((c) => (
            <span key={c.eventId}>
              {c.number} → {c.windowName}
            </span>
          ))}
        </div>
        <div className="hall-waiting" data-testid="display-waiting">
          {state?.waiting.map((g) => (
            <span key={g.prefix}>
              {g.prefix} {groupName(g)}：{t('hall.display.waitingCount', { count: g.waiting })}
            </span>
          ))}
        </div>
      </footer>
    </div>
  );
}
