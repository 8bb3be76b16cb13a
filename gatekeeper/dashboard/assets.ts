/**
 * The dashboard's one stylesheet and one script, served as static files under `/dashboard/static/`
 * (kept as strings so the app needs no file system and runs on Workers too). The CSP allows nothing
 * inline, so every style lives here.
 */

export const DASHBOARD_CSS = `
*,*::before,*::after{box-sizing:border-box}
html{font-family:system-ui,-apple-system,"Segoe UI",Roboto,sans-serif;font-size:16px;line-height:1.5;color:#1a1a1a;background:#f6f7f9}
body{margin:0}
a{color:#0b57d0}
a:focus-visible,button:focus-visible,input:focus-visible,select:focus-visible,textarea:focus-visible{outline:3px solid #f59e0b;outline-offset:2px}
.skip{position:absolute;left:-999px;top:0;background:#fff;padding:.5rem}
.skip:focus{left:.5rem}
.sr-only{position:absolute;width:1px;height:1px;overflow:hidden;clip:rect(0 0 0 0);white-space:nowrap}
header.top{background:#17324d;color:#fff;padding:.5rem 1rem;display:flex;flex-wrap:wrap;gap:.5rem 1.5rem;align-items:center}
header.top a{color:#fff}
header.top .brand{font-weight:700;text-decoration:none;margin-right:auto}
header.top nav ul{list-style:none;display:flex;flex-wrap:wrap;gap:.25rem 1rem;margin:0;padding:0}
header.top form{margin:0}
header.top button{background:transparent;color:#fff;border:1px solid #fff}
main{max-width:72rem;margin:0 auto;padding:1rem}
h1{font-size:1.6rem;margin:.5rem 0 1rem}
h2{font-size:1.25rem;margin:1.5rem 0 .5rem}
.card{background:#fff;border:1px solid #d0d5dd;border-radius:6px;padding:1rem;margin-bottom:1rem}
.table-wrap{overflow-x:auto}
table{border-collapse:collapse;width:100%;background:#fff}
th,td{text-align:left;padding:.4rem .6rem;border-bottom:1px solid #d0d5dd;vertical-align:top}
th{background:#eef1f5}
td.num{text-align:right;font-variant-numeric:tabular-nums}
code,.mono{font-family:ui-monospace,Menlo,Consolas,monospace;font-size:.9em;word-break:break-all}
form.inline{display:inline-flex;flex-wrap:wrap;gap:.5rem;align-items:flex-end;margin:.25rem 0}
form.stack{display:grid;gap:.75rem;max-width:28rem}
label{font-weight:600;display:block}
label span.hint{font-weight:400;color:#4a4a4a}
input,select,textarea{font:inherit;padding:.4rem .5rem;border:1px solid #667085;border-radius:4px;background:#fff;color:#1a1a1a;min-height:2.5rem;max-width:100%}
button{font:inherit;padding:.4rem .9rem;border-radius:4px;border:1px solid #0b57d0;background:#0b57d0;color:#fff;cursor:pointer;min-height:2.5rem}
button.secondary{background:#fff;color:#0b57d0}
button.danger{background:#b42318;border-color:#b42318}
.status-active,.status-live,.ok{color:#05603a;font-weight:600}
.status-revoked,.status-expired,.denied{color:#b42318;font-weight:600}
.flash{padding:.75rem 1rem;border-radius:6px;margin-bottom:1rem;border:1px solid}
.flash.error{background:#fef3f2;border-color:#b42318;color:#7a271a}
.flash.info{background:#ecfdf3;border-color:#05603a;color:#054f31}
.button-link{display:inline-block;padding:.3rem .6rem;margin:.15rem;border:1px solid #0b57d0;border-radius:4px;text-decoration:none}
.token{display:block;background:#f2f4f7;padding:.5rem;border-radius:4px}
.filters{display:flex;flex-wrap:wrap;gap:.75rem;align-items:flex-end}
.pager{display:flex;gap:1rem;margin:1rem 0}
figure{margin:0 0 1rem}
.chart{width:100%;height:auto;background:#fff}
.chart .bar-launch{fill:#0b57d0}
.chart .bar-error{fill:#b42318}
.chart text{font-size:11px;fill:#1a1a1a}
.legend{display:flex;gap:1rem;font-size:.9rem}
.legend .swatch{display:inline-block;width:.8rem;height:.8rem;margin-right:.3rem;vertical-align:middle}
.legend .launch{background:#0b57d0}
.legend .error{background:#b42318}
.login{max-width:24rem;margin:3rem auto}
.flags{list-style:none;padding:0;margin:.25rem 0}
.flag{color:#7a2e0e;background:#fffaeb;border:1px solid #b54708;border-radius:4px;padding:.1rem .4rem;margin:.15rem 0;font-size:.9rem;font-weight:400}
.notes{white-space:pre-wrap}
@media (max-width:40rem){
  main{padding:.5rem}
  th,td{padding:.3rem .4rem;font-size:.9rem}
  table.responsive thead{display:none}
  table.responsive tr{display:block;border-bottom:2px solid #d0d5dd}
  table.responsive td{display:block;border:0}
  table.responsive td::before{content:attr(data-label) ": ";font-weight:600}
}
`;

/** The tab icon: a gate, in the header's colour. `/favicon.ico` redirects here (browsers ask for it unprompted). */
export const DASHBOARD_ICON = `<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 32 32"><rect width="32" height="32" rx="6" fill="#17324d"/><path d="M8 26V10l8-4 8 4v16h-4V12l-4-2-4 2v14z" fill="#fff"/></svg>`;

/** Progressive enhancement only: every page works without it (it marks the document as scripted). */
export const DASHBOARD_JS = `(function(){
document.documentElement.classList.add('js');
})();
`;
