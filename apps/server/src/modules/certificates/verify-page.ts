import type { CertificateVerification } from '@yimen/core';
import { escapeHtml as e } from '../../documents/pdf.ts';
import { chinaDate } from './certificate-payload.ts';

/**
 * The page a QR code opens: one glance says genuine or not, Chinese first, English under
 * it. Small and server-rendered, no script; the web app may replace it later.
 */
type Verdict = { tone: 'ok' | 'warn' | 'bad' | 'none'; mark: string; zh: string; en: string };

function verdictOf(v: CertificateVerification): Verdict {
  if (!v.genuine)
    return {
      tone: 'bad',
      mark: '✘',
      zh: '签名验证失败：证照疑似伪造或被篡改',
      en: 'Signature check failed: forged or altered',
    };
  if (v.status === 'revoked') return { tone: 'bad', mark: '✘', zh: '已撤销', en: 'Revoked' };
  if (v.expired)
    return { tone: 'warn', mark: '!', zh: '真实，但已过期', en: 'Genuine, but expired' };
  return { tone: 'ok', mark: '✔', zh: '真实有效', en: 'Genuine and valid' };
}

const row = (zh: string, en: string, value: string) =>
  `<tr><th>${e(zh)}<small>${e(en)}</small></th><td>${e(value)}</td></tr>`;

export function renderVerifyPage(v: CertificateVerification): string {
  const verdict = verdictOf(v);
  const rows = [
    row('证照名称', 'Certificate', `${v.title.zh} / ${v.title.en}`),
    row('证照编号', 'Number', v.certificateNo),
    row('持证人', 'Holder', v.holderName),
    row('公民身份号码', 'ID number', v.idNumberMasked),
    row('办理事项', 'Service item', v.itemName),
    row('签发单位', 'Issued by', v.issuer.name),
    row('签发日期', 'Issued on', chinaDate(new Date(v.issuedAt))),
    row('有效期至', 'Valid until', v.validUntil ?? '长期 / no end date'),
    ...(v.revokedAt ? [row('撤销日期', 'Revoked on', chinaDate(new Date(v.revokedAt)))] : []),
    ...(v.revokeReason
      ? [row('撤销原因', 'Reason', `${v.revokeReason.zh} / ${v.revokeReason.en}`)]
      : []),
    row('印章密钥', 'Seal key', v.keyId),
  ].join('');
  const body = `<table>${rows}</table>
<p class="note">本页仅显示脱敏信息，请与持证人出示的证照核对。<br>Only masked details are shown; compare them with the certificate the holder shows you.</p>
<details><summary>离线核验 / Verify offline</summary>
<p>用 <a href="/api/v1/seals">/api/v1/seals</a> 公布的公钥（Ed25519，kid ${e(v.keyId)}）验证下列签名。<br>Check the signature below with the key published at /api/v1/seals.</p>
<pre>${e(v.payload)}</pre><p class="sig">${e(v.signature)}</p></details>`;
  return page(verdict, body);
}

export function renderNotFoundPage(kind: 'missing' | 'malformed'): string {
  const verdict: Verdict =
    kind === 'missing'
      ? { tone: 'none', mark: '✘', zh: '未找到该证照', en: 'No certificate with this number' }
      : { tone: 'none', mark: '✘', zh: '证照编号格式错误', en: 'This is not a certificate number' };
  return page(
    verdict,
    '<p class="note">请核对编号，或重新扫描证照上的二维码。<br>Check the number, or scan the QR code on the certificate again.</p>',
  );
}

function page(v: Verdict, body: string): string {
  return `<!doctype html>
<html lang="zh-CN"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="robots" content="noindex"><title>${e(v.zh)} · 电子证照核验 / Certificate check</title>
<style>
body{margin:0;font-family:"Noto Sans SC","PingFang SC","Microsoft YaHei",sans-serif;background:#f4f4f5;color:#111;line-height:1.5}
main{max-width:560px;margin:0 auto;padding:1em}
.verdict{border-radius:12px;padding:1.2em;text-align:center;color:#fff}
.ok{background:#15803d}.warn{background:#b45309}.bad{background:#b91c1c}.none{background:#52525b}
.mark{font-size:3.5em;line-height:1}h1{margin:.2em 0 0;font-size:1.8em}.en{margin:0;opacity:.9}
table{width:100%;border-collapse:collapse;background:#fff;margin-top:1em;border-radius:8px}
th,td{padding:.55em .7em;border-bottom:1px solid #e4e4e7;text-align:left;vertical-align:top}
th{width:38%;font-weight:600}th small{display:block;font-weight:400;color:#71717a}
td{word-break:break-all}.note{color:#52525b;font-size:.9em}
pre,.sig{white-space:pre-wrap;word-break:break-all;font-size:.75em;background:#fff;padding:.6em}
</style></head><body><main>
<section class="verdict ${v.tone}"><div class="mark">${v.mark}</div><h1>${e(v.zh)}</h1><p class="en">${e(v.en)}</p></section>
${body}
</main></body></html>`;
}
