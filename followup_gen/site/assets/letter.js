// A draft letter page: "Copy letter" and "Print" (the buttons stay hidden
// without this script; "Open in e-mail" and "Back to due" are plain links).
(function () {
  "use strict";
  function said(button, text) {
    var label = button.getAttribute("data-label") || button.textContent;
    button.setAttribute("data-label", label);
    button.textContent = text;
    window.setTimeout(function () { button.textContent = label; }, 1600);
  }
  function copyLetter(button) {
    var letter = document.querySelector(".fg-letter");
    if (!letter) return;
    // Selected and copied, the letter keeps its paragraphs in a word processor.
    var range = document.createRange();
    range.selectNodeContents(letter);
    var selection = window.getSelection();
    selection.removeAllRanges();
    selection.addRange(range);
    var copied = false;
    try {
      copied = document.execCommand("copy");
    } catch (e) {
      copied = false;
    }
    selection.removeAllRanges();
    if (copied) {
      said(button, "Copied");
    } else if (navigator.clipboard && window.isSecureContext) {
      navigator.clipboard.writeText(letter.innerText).then(
        function () { said(button, "Copied"); },
        function () { said(button, "Select the letter and copy it"); }
      );
    } else {
      said(button, "Select the letter and copy it");
    }
  }
  function init() {
    document.querySelectorAll("button[data-letter]").forEach(function (button) {
      button.hidden = false;
      button.addEventListener("click", function () {
        if (button.getAttribute("data-letter") === "print") {
          window.print();
        } else {
          copyLetter(button);
        }
      });
    });
  }
  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", init);
  } else {
    init();
  }
})();
