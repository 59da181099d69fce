import type { ApplicationDetail } from '@yimen/core';
import { escapeHtml as e } from '../../documents/pdf.ts';

/** 一次性告知书: everything missing in one notice, to print and hand to the applicant. */
export function renderCorrectionNotice(d: ApplicationDetail): string {
  const entry = [...d.history].reverse().find((h) => h.action === 'requestCorrection');
  const missing =
    (entry?.payload as { missing?: { item: string; detail?: string }[] } | null)?.missing ?? [];
  const date = entry ? entry.occurredAt.slice(0, 10) : '—';
  return `<!doctype html><html lang="zh-CN"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>一次性告知书 ${e(d.applicationNo)}</title>
<style>body{font-family:"Noto Sans CJK SC","Noto Sans SC",sans-serif;max-width:760px;margin:2em auto;padding:0 1em;line-height:1.8}
h1{text-align:center}table{border-collapse:collapse;width:100%}td,th{border:1px solid #888;padding:.4em;text-align:left}
.sign{margin-top:3em;display:flex;justify-content:space-between}@media print{body{margin:0}}</style></head><body>
<h1>补正材料一次性告知书</h1>
<p>${e(d.applicant.name)}（身份证号 ${e(d.applicant.idNumberMasked)}）：</p>
<p>您于 ${e(d.submittedAt.slice(0, 10))} 申请办理的“${e(d.itemName)}”（办件编号 ${e(d.applicationNo)}），经审查，需补正以下全部材料或内容。补正齐全后，办理时限自收到补正材料之日起继续计算。</p>
<table><thead><tr><th>序号</th><th>需补正的材料或内容</th><th>说明</th></tr></thead><tbody>
${missing.map((m, i) => `<tr><td>${i + 1}</td><td>${e(m.item)}</td><td>${e(m.detail ?? '')}</td></tr>`).join('\n')}
</tbody></table>
<p>English: please supply everything listed above for application ${e(d.applicationNo)}; the time limit resumes when it is received.</p>
<div class="sign"><span>受理单位：${e(d.received.name)}</span><span>日期：${e(date)}</span></div>
<div class="sign"><span>申请人签收：</span><span>经办人：${e(entry?.actor.name ?? '')}</span></div>
</body></html>`;
}
