// @ts-check
// A browser without ES modules (a 360 browser in its IE-compatibility mode, an old IE) never runs
// main.js, and the page would say 正在加载… forever. Such a browser runs this file instead: index.html
// loads it with `nomodule`, which every browser that runs modules skips without fetching it. Plain ES5
// for IE 8 and later (no textContent, no addEventListener); ESLint and test/console/nomodule.spec.ts
// parse it as ES5.
(function () {
  var loading = document.getElementById('loading');
  if (!loading) return;
  loading.className = 'notice warn';
  loading.innerHTML =
    '<strong>当前浏览器无法使用本系统。</strong>' +
    '请使用基于 Chromium 内核的浏览器打开本页，例如 360 浏览器的极速模式、新版 Microsoft Edge 或 Google Chrome。<br />' +
    '使用 360 浏览器的，请点击地址栏右侧的“e”（兼容模式）图标，切换到“极速模式”后刷新本页。';
  // The menu button needs the console's script; IE before 11 would show it despite its `hidden`.
  var menu = document.getElementById('menu-toggle');
  if (menu) menu.style.display = 'none';
})();
