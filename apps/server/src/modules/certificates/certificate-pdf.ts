import type { CertificateDetail } from '@yimen/core';
import QRCode from 'qrcode';
import { newPdf, pdfToBuffer } from '../../documents/pdf.ts';
import { chinaDate } from './certificate-payload.ts';

const RED = '#c8161d';
const GREY = '#555555';

function verifyUrlOf(origin: string, certificateNo: string): string {
  return `${origin.replace(/\/+$/, '')}/verify/${encodeURIComponent(certificateNo)}`;
}

/**
 * The printable certificate: the signed content as text (searchable, copyable), the unit's
 * seal drawn as vector graphics, and a QR code to the public verification page. The seal
 * picture proves nothing by itself; the QR code and the signature do.
 */
export async function renderCertificatePdf(
  cert: CertificateDetail,
  opts: { origin: string },
): Promise<Buffer> {
  const verifyUrl = verifyUrlOf(opts.origin, cert.certificateNo);
  const qr = await QRCode.toBuffer(verifyUrl, {
    type: 'png',
    errorCorrectionLevel: 'M',
    margin: 1,
    width: 300,
  });
  const doc = newPdf({ title: `${cert.title.zh} ${cert.certificateNo}`, subject: cert.itemCode });
  const { width, height } = doc.page;
  const left = 72;
  const inner = width - 2 * left;

  doc
    .lineWidth(3)
    .strokeColor(RED)
    .rect(28, 28, width - 56, height - 56)
    .stroke();
  doc
    .lineWidth(0.8)
    .rect(36, 36, width - 72, height - 72)
    .stroke();

  doc.font('bold').fontSize(28).fillColor('#000');
  doc.text(cert.title.zh, left, 84, { width: inner, align: 'center' });
  doc.font('body').fontSize(12).fillColor(GREY);
  doc.text(cert.title.en, { width: inner, align: 'center' });
  doc.fontSize(9).text(`编号 No. ${cert.certificateNo}`, { width: inner, align: 'center' });
  if (cert.status === 'revoked') {
    doc.font('bold').fontSize(16).fillColor(RED);
    doc.text('已撤销 REVOKED', { width: inner, align: 'center' });
  }

  const rows: [string, string, string][] = [
    ['持证人', 'Holder', cert.holderName],
    ['公民身份号码', 'ID number', cert.idNumberMasked],
    ['办理事项', 'Service item', cert.itemName],
    ...cert.fields.map((f): [string, string, string] => [f.label.zh, f.label.en, f.value]),
    ['签发日期', 'Issued on', chinaDate(new Date(cert.issuedAt))],
    ['有效期至', 'Valid until', cert.validUntil ?? '长期 / No end date'],
    ['签发单位', 'Issued by', cert.issuer.name],
  ];
  const compact = rows.length > 12;
  const labelWidth = 150;
  let y = cert.status === 'revoked' ? 200 : 180;
  for (const [zh, en, value] of rows) {
    doc
      .font('body')
      .fontSize(compact ? 9 : 11)
      .fillColor('#000');
    doc.text(`${zh}：`, left, y, { width: labelWidth, lineBreak: false });
    doc
      .fontSize(7)
      .fillColor(GREY)
      // The CJK font draws ’ full-width; a plain apostrophe reads better in English.
      .text(en.replace(/[‘’]/g, "'"), left, y + (compact ? 11 : 14), { width: labelWidth });
    doc
      .font('bold')
      .fontSize(compact ? 10 : 12)
      .fillColor('#000');
    const h = doc.heightOfString(value, { width: inner - labelWidth });
    doc.text(value, left + labelWidth, y, { width: inner - labelWidth });
    y += Math.max(h, compact ? 20 : 26) + (compact ? 4 : 8);
  }

  // As on paper: the seal is stamped over the unit's name and the date.
  const sealY = Math.min(Math.max(y + 70, 560), height - 220);
  doc.font('body').fontSize(11).fillColor('#000');
  doc.text(cert.issuer.name, left, sealY - 14, { width: inner - 20, align: 'right' });
  doc.text(chinaDate(new Date(cert.issuedAt)), left, sealY + 4, {
    width: inner - 20,
    align: 'right',
  });
  drawSeal(doc, width - left - 75, sealY, 62, cert.issuer.name);

  const qrSize = 96;
  const qrY = height - 56 - qrSize - 40;
  doc.image(qr, left, qrY, { width: qrSize, height: qrSize });
  doc.font('body').fontSize(9).fillColor('#000');
  doc.text('扫码核验真伪 / Scan to verify', left + qrSize + 12, qrY + 18, { width: 300 });
  doc
    .fontSize(7)
    .fillColor(GREY)
    .text(verifyUrl, left + qrSize + 12, qrY + 34, { width: 300 });
  doc.text(
    `证照编号 ${cert.certificateNo} · 印章密钥 Key ${cert.keyId} · Ed25519`,
    left,
    height - 56 - 28,
    { width: inner, align: 'center', lineBreak: false },
  );
  return pdfToBuffer(doc);
}

/** A round red seal: double ring, five-pointed star, the unit's name along the upper arc. */
function drawSeal(doc: PDFKit.PDFDocument, cx: number, cy: number, r: number, name: string) {
  doc.save();
  doc.fillOpacity(0.85).strokeOpacity(0.85);
  doc.lineWidth(3).strokeColor(RED).circle(cx, cy, r).stroke();
  doc
    .lineWidth(0.8)
    .circle(cx, cy, r - 5)
    .stroke();

  const star: [number, number][] = [];
  for (let i = 0; i < 10; i++) {
    const a = -Math.PI / 2 + (i * Math.PI) / 5;
    const rad = i % 2 === 0 ? r * 0.3 : r * 0.12;
    star.push([cx + rad * Math.cos(a), cy + rad * Math.sin(a)]);
  }
  doc.polygon(...star).fill(RED);

  const chars = Array.from(name);
  const size = chars.length > 14 ? 9 : 11;
  const spread = Math.min(260, 20 * Math.max(chars.length - 1, 1));
  const ring = r - 7 - size / 2 - 2;
  doc.font('bold').fontSize(size).fillColor(RED);
  chars.forEach((ch, i) => {
    const deg = chars.length === 1 ? 0 : -spread / 2 + (spread * i) / (chars.length - 1);
    const rad = (deg * Math.PI) / 180;
    const x = cx + ring * Math.sin(rad);
    const y = cy - ring * Math.cos(rad);
    doc.save();
    doc.rotate(deg, { origin: [x, y] });
    doc.text(ch, x - size / 2, y - size * 0.6, { width: size, align: 'center', lineBreak: false });
    doc.restore();
  });
  doc
    .fontSize(8)
    .text('电子印章', cx - 30, cy + r * 0.42, { width: 60, align: 'center', lineBreak: false });
  doc.restore();
}
