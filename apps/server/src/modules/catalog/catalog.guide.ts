import {
  APPLICANT_TYPES,
  CHANNELS,
  DELIVERY_METHODS,
  DEPARTMENTS,
  ITEM_TYPES,
  type ItemVersion,
  LEVEL_LABELS,
  RESULT_TYPES,
} from '@yimen/core';
import { escapeHtml, newPdf, pdfToBuffer } from '../../documents/pdf.ts';

/**
 * The 办事指南 a service hall posts on its wall: one model of sections, rendered as HTML
 * for the browser's print dialog and as a PDF with the Chinese text embedded.
 */
interface Section {
  heading: string;
  rows?: [string, string][];
  list?: string[];
  table?: { head: string[]; body: string[][] };
}

const CROSS_REGION: Record<string, string> = {
  none: '不支持',
  county: '县域内通办',
  city: '市域内通办',
  province: '省内通办',
  nationwide: '全国通办',
};

function guideSections(v: ItemVersion): Section[] {
  const c = v.content;
  const r = c.routing;
  return [
    {
      heading: '基本信息',
      rows: [
        ['实施编码', v.code],
        ['基本编码', c.basicCode],
        ['事项类型', ITEM_TYPES[c.type].zh],
        ['实施部门', DEPARTMENTS[c.department].zh],
        ['服务对象', APPLICANT_TYPES[c.applicantType].zh],
        ['受理层级', LEVEL_LABELS[r.acceptLevel].zh],
        ['审批层级', LEVEL_LABELS[r.decideLevel].zh],
        ['法定办结时限', `${c.legalDays} 个工作日`],
        ['承诺办结时限', c.promisedDays === 0 ? '即办' : `${c.promisedDays} 个工作日`],
        ['到现场次数', c.visitsRequired === 0 ? '0 次（全程网办）' : `${c.visitsRequired} 次`],
        ['收费', c.fee.kind === 'none' ? '不收费' : `${c.fee.amountYuan} 元（${c.fee.basis}）`],
        ['办理渠道', c.channels.map((ch) => CHANNELS[ch].zh).join('、')],
        [
          '办理结果',
          RESULT_TYPES[c.resultType].zh +
            (c.certificateTemplate ? `：${c.certificateTemplate.title.zh}` : ''),
        ],
        ['送达方式', r.delivery.map((d) => DELIVERY_METHODS[d].zh).join('、')],
        ['跨域通办', CROSS_REGION[r.crossRegion] ?? r.crossRegion],
        [
          '版本',
          `第 ${v.version} 版${v.publishedAt ? `，${v.publishedAt.slice(0, 10)} 发布` : ''}`,
        ],
      ],
    },
    { heading: '设定依据', list: c.legalBasis.length ? c.legalBasis : ['—'] },
    {
      heading: '受理条件',
      list: c.acceptConditions.length ? c.acceptConditions.map((a) => a.zh) : ['—'],
    },
    {
      heading: '申请材料',
      table: {
        head: ['材料名称', '要求', '形式', '份数', '来源'],
        body: c.materials.map((m) => [
          m.name.zh,
          m.requirement === 'required' ? '必须' : `容缺/条件：${m.condition?.zh ?? ''}`,
          { original: '原件', copy: '复印件', scan: '扫描件', original_and_copy: '原件及复印件' }[
            m.form
          ],
          String(m.copies),
          m.source.kind === 'eCertificate' ? '免提交（平台调取电子证照）' : '申请人提供',
        ]),
      },
    },
    {
      heading: '办理流程',
      list: [
        `申请：到${LEVEL_LABELS[r.acceptLevel].zh}便民服务窗口或网上提交`,
        '受理：材料齐全的当场受理；不齐全的一次性告知需补正的全部内容',
        `审查与决定：由${LEVEL_LABELS[r.decideLevel].zh}审批，统一加盖一枚印章`,
        c.resultType === 'none' ? '办结' : '制证：生成加盖电子印章的结果',
        `送达：${r.delivery.map((d) => DELIVERY_METHODS[d].zh).join('或')}`,
      ],
    },
    {
      heading: '申请表填写项',
      list: c.form.fields.map((f) => `${f.label.zh}${f.required ? '（必填）' : ''}`),
    },
  ];
}

export function renderGuideHtml(v: ItemVersion): string {
  const e = escapeHtml;
  const body = guideSections(v)
    .map((s) => {
      let inner = '';
      if (s.rows)
        inner += `<table class="kv">${s.rows.map(([k, val]) => `<tr><th>${e(k)}</th><td>${e(val)}</td></tr>`).join('')}</table>`;
      if (s.list) inner += `<ol>${s.list.map((x) => `<li>${e(x)}</li>`).join('')}</ol>`;
      if (s.table) {
        inner += `<table class="grid"><thead><tr>${s.table.head.map((h) => `<th>${e(h)}</th>`).join('')}</tr></thead><tbody>${s.table.body
          .map((row) => `<tr>${row.map((cell) => `<td>${e(cell)}</td>`).join('')}</tr>`)
          .join('')}</tbody></table>`;
      }
      return `<section><h2>${e(s.heading)}</h2>${inner}</section>`;
    })
    .join('\n');
  return `<!doctype html>
<html lang="zh-CN"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>${e(v.content.name.zh)} 办事指南</title>
<style>
body{font-family:"Noto Sans CJK SC","Noto Sans SC","Microsoft YaHei",sans-serif;max-width:800px;margin:2em auto;padding:0 1em;color:#111;line-height:1.6}
h1{text-align:center;font-size:1.6em}h2{border-left:4px solid #b91c1c;padding-left:.5em;font-size:1.15em;margin-top:1.5em}
table{border-collapse:collapse;width:100%}th,td{border:1px solid #999;padding:.35em .5em;text-align:left;vertical-align:top}
.kv th{width:9em;background:#f5f5f5}.grid th{background:#f5f5f5}.en{text-align:center;color:#555;margin-top:-.8em}
@media print{body{margin:0;max-width:none}section{break-inside:avoid}}
</style></head><body>
<h1>${e(v.content.name.zh)}办事指南</h1><p class="en">${e(v.content.name.en)} — service guide</p>
${body}
</body></html>`;
}

export async function renderGuidePdf(v: ItemVersion): Promise<Buffer> {
  const doc = newPdf({ title: `${v.content.name.zh} 办事指南`, subject: v.code });
  doc.font('bold').fontSize(18).text(`${v.content.name.zh}办事指南`, { align: 'center' });
  doc
    .font('body')
    .fontSize(10)
    .fillColor('#555')
    .text(`${v.content.name.en} — service guide`, { align: 'center' });
  doc.fillColor('#000').moveDown();
  for (const s of guideSections(v)) {
    doc.font('bold').fontSize(13).text(s.heading).moveDown(0.2);
    doc.font('body').fontSize(10);
    for (const [k, val] of s.rows ?? []) doc.text(`${k}：${val}`);
    for (const [i, x] of (s.list ?? []).entries()) doc.text(`${i + 1}. ${x}`);
    if (s.table) {
      for (const row of s.table.body) doc.text(`• ${row[0]}（${row.slice(1).join('；')}）`);
      if (s.table.body.length === 0) doc.text('无');
    }
    doc.moveDown(0.6);
  }
  return pdfToBuffer(doc);
}
