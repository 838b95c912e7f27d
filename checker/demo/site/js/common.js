/* TRS WCM list paging: writes the page bar of a static column list. */
function createPageHTML(nPageCount, nCurrIndex, sPageName, sPageExt) {
  if (nPageCount <= 1) { return; }
  var s = "";
  var name = function (i) { return i === 0 ? sPageName + "." + sPageExt : sPageName + "_" + i + "." + sPageExt; };
  if (nCurrIndex > 0) { s += '<a href="' + name(0) + '">&#39318;&#39029;</a> <a href="' + name(nCurrIndex - 1) + '">&#19978;&#19968;&#39029;</a> '; }
  for (var i = 0; i < nPageCount; i++) {
    s += i === nCurrIndex ? '<span class="cur">' + (i + 1) + '</span> ' : '<a href="' + name(i) + '">' + (i + 1) + '</a> ';
  }
  if (nCurrIndex < nPageCount - 1) { s += '<a href="' + name(nCurrIndex + 1) + '">&#19979;&#19968;&#39029;</a> <a href="' + name(nPageCount - 1) + '">&#23614;&#39029;</a>'; }
  document.write(s);
}
function doZoom(size) { var el = document.getElementById("zoom"); if (el) { el.style.fontSize = size + "px"; } }
