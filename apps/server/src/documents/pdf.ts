import PDFDocument from 'pdfkit';
import { cjkFont } from './fonts.ts';

/** A new A4 document with the CJK font registered as 'body' and 'bold'. */
export function newPdf(info: { title: string; subject?: string }): PDFKit.PDFDocument {
  const doc = new PDFDocument({
    size: 'A4',
    margin: 56,
    info: { Title: info.title, Subject: info.subject ?? '', Producer: 'yimen' },
  });
  doc.registerFont('body', cjkFont('Regular'));
  doc.registerFont('bold', cjkFont('Bold'));
  doc.font('body');
  return doc;
}

/** Collects the document into one Buffer. */
export function pdfToBuffer(doc: PDFKit.PDFDocument): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    doc.on('data', (c: Buffer) => chunks.push(c));
    doc.on('end', () => resolve(Buffer.concat(chunks)));
    doc.on('error', reject);
    doc.end();
  });
}

export function escapeHtml(s: string): string {
  return s.replace(
    /[&<>"']/g,
    (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!,
  );
}
