/**
 * The inline stylesheet and script of the HTML report. Both are fixed text (no input reaches them), allowed by the
 * page's Content-Security-Policy through their SHA-256 hashes. The page never depends on them: with scripts off or
 * with inline styles blocked (Jenkins' default CSP) the server-rendered HTML shows the summary and every finding;
 * the script only adds filtering and sorting.
 */

export const CSS = `:root{color-scheme:light;--fg:#1f2937;--muted:#4b5563;--line:#d1d5db;--bg:#fff;--soft:#f3f4f6}
*{box-sizing:border-box}
[hidden]{display:none!important}
body{margin:0;font:14px/1.45 system-ui,-apple-system,"Segoe UI",Roboto,sans-serif;color:var(--fg);background:var(--bg)}
header,main,footer{max-width:1400px;margin:0 auto;padding:0 20px}
header{padding-top:16px;border-bottom:1px solid var(--line)}
h1{font-size:22px;margin:0 0 4px}h2{font-size:18px;margin:28px 0 8px;border-bottom:1px solid var(--line);padding-bottom:4px}h3{font-size:15px;margin:18px 0 6px}
.meta{color:var(--muted);margin:0 0 12px}
nav ul{list-style:none;padding:0;margin:8px 0 12px;display:flex;flex-wrap:wrap;gap:4px 14px}
a{color:#1d4ed8}
.cards{display:flex;flex-wrap:wrap;gap:12px;margin:12px 0}
.card{border:1px solid var(--line);border-radius:8px;padding:10px 14px;min-width:150px;background:var(--soft)}
.card .n{font-size:26px;font-weight:700;display:block}
.alert{border:2px solid #b45309;background:#fffbeb;border-radius:8px;padding:8px 14px;margin:12px 0}
table{border-collapse:collapse;width:100%;margin:6px 0 14px}
th,td{border-bottom:1px solid var(--line);padding:4px 6px;text-align:left;vertical-align:top}
thead th{background:var(--soft);position:sticky;top:0}
th[data-sort]{cursor:pointer}
td.num,th.num{text-align:right}
tr.res th{background:#eef2ff;font-weight:600}
td,th{overflow-wrap:anywhere}
table.findings{table-layout:fixed}.c-sev{width:84px}.c-check{width:190px}.c-loc{width:190px}.c-path{width:200px}.c-ev{width:150px}
.sev,.v,table.findings td>b{white-space:nowrap}
table.findings td:nth-child(n+4){font-family:ui-monospace,SFMono-Regular,Menlo,Consolas,monospace;font-size:12.5px}
table.findings td>b{display:inline-block;border-radius:4px;padding:0 6px;font-size:12px}
code,.mono{font-family:ui-monospace,SFMono-Regular,Menlo,Consolas,monospace;font-size:12.5px}
.sev,.v{display:inline-block;border-radius:4px;padding:0 6px;font-weight:600;font-size:12px}
.critical{background:#f3e8ff;color:#581c87}.high{background:#fee2e2;color:#991b1b}.medium{background:#ffedd5;color:#9a3412}.low{background:#dbeafe;color:#1e40af}.info{background:#f1f5f9;color:#334155}
.PASS{background:#dcfce7;color:#166534}.FAIL{background:#fee2e2;color:#991b1b}.WARN{background:#ffedd5;color:#9a3412}.MANUAL{background:#dbeafe;color:#1e40af}.NOT_EVALUATED{background:#f1f5f9;color:#334155}.NOT_APPLICABLE{background:#f8fafc;color:#475569}
section.ns{content-visibility:auto;contain-intrinsic-size:auto 600px}
#filters{display:flex;flex-wrap:wrap;gap:10px;align-items:end;background:var(--soft);border:1px solid var(--line);border-radius:8px;padding:10px;margin:8px 0;position:sticky;top:0;z-index:2}
#filters label{display:flex;flex-direction:column;font-size:12px;color:var(--muted)}
#filters select,#filters input{font:inherit;padding:2px 4px;max-width:320px}
#shown{font-weight:600}
details{margin:6px 0}summary{cursor:pointer;font-weight:600}
figure{margin:8px 0}figcaption{color:var(--muted);font-size:12px}
svg{max-width:100%;height:auto}
.scroll{overflow:auto;max-height:720px;border:1px solid var(--line)}
@media print{#filters{display:none}section.ns{content-visibility:visible}}
`;

export const JS = `(function(){'use strict';
var data=JSON.parse(document.getElementById('kspect-data').textContent);
var form=document.getElementById('filters');if(!form)return;form.hidden=false;
var F=data.f,total=F.length/3;
var rows=[].slice.call(document.querySelectorAll('#findings tr[data-f]'));
var bodies=[].slice.call(document.querySelectorAll('#findings tbody'));
var sections=[].slice.call(document.querySelectorAll('#findings section.ns'));
function opt(sel,value,text){var o=document.createElement('option');o.value=value;o.textContent=text;sel.appendChild(o);}
var sev=document.getElementById('f-sev'),ns=document.getElementById('f-ns'),ck=document.getElementById('f-check'),fw=document.getElementById('f-fw'),tx=document.getElementById('f-text');
data.sev.forEach(function(s,i){opt(sev,String(i),s+(i<data.sev.length-1?' and above':''));});
data.ns.forEach(function(n,i){opt(ns,String(i),n===''?'(no namespace)':n);});
data.checks.forEach(function(c,i){opt(ck,String(i),c);});
Object.keys(data.fw).forEach(function(k){var f=data.fw[k];opt(fw,k,f.name+' (any control)');Object.keys(f.controls).forEach(function(c){opt(fw,k+' '+c,f.short+' '+c);});});
function fwChecks(v){if(v==='')return null;var p=v.split(' '),f=data.fw[p[0]],s={};if(!f)return s;var cs=p.length>1?[p.slice(1).join(' ')]:Object.keys(f.controls);cs.forEach(function(c){(f.controls[c]||[]).forEach(function(i){s[i]=true;});});return s;}
function apply(){
var ms=sev.value===''?99:+sev.value,n=ns.value===''?-1:+ns.value,c=ck.value===''?-1:+ck.value,fs=fwChecks(fw.value),t=tx.value.toLowerCase(),shown=0;
rows.forEach(function(r){var i=+r.getAttribute('data-f'),ok=F[3*i]<=ms&&(n<0||F[3*i+2]===n)&&(c<0||F[3*i+1]===c)&&(!fs||fs[F[3*i+1]]===true)&&(t===''||r.textContent.toLowerCase().indexOf(t)>=0);r.hidden=!ok;if(ok)shown++;});
bodies.forEach(function(b){b.hidden=!b.querySelector('tr[data-f]:not([hidden])');});
sections.forEach(function(s){s.hidden=!s.querySelector('tr[data-f]:not([hidden])');});
document.getElementById('shown').textContent=shown+' of '+total+' findings shown';
form.setAttribute('data-shown',String(shown));}
[sev,ns,ck,fw].forEach(function(e){e.addEventListener('change',apply);});tx.addEventListener('input',apply);
document.getElementById('f-reset').addEventListener('click',function(){sev.value='';ns.value='';ck.value='';fw.value='';tx.value='';apply();});
var rank={critical:0,high:1,medium:2,low:3,info:4};
[].slice.call(document.querySelectorAll('th[data-sort]')).forEach(function(th){th.addEventListener('click',function(){
var table=th.closest('table'),col=[].indexOf.call(th.parentNode.children,th),dir=th.getAttribute('aria-sort')==='ascending'?-1:1;
[].slice.call(th.parentNode.children).forEach(function(o){o.removeAttribute('aria-sort');});th.setAttribute('aria-sort',dir>0?'ascending':'descending');
[].slice.call(table.tBodies).forEach(function(b){var rs=[].slice.call(b.querySelectorAll('tr[data-f],tr[data-row]'));var key=function(r){var t=(r.children[col]||{}).textContent||'';return rank.hasOwnProperty(t)?String(rank[t]):t;};
rs.sort(function(a,b2){var x=key(a),y=key(b2);return (x<y?-1:x>y?1:0)*dir;});rs.forEach(function(r){b.appendChild(r);});});});});
apply();})();
`;
