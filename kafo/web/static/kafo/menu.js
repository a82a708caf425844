// The main menu: one sub-menu open at a time, closed by Escape or a click elsewhere;
// on a phone the whole menu folds behind one button. Without JavaScript every
// sub-menu still opens (they are <details>) and the menu stays unfolded.
(function () {
  "use strict";
  const nav = document.getElementById("main-menu");
  if (!nav) return;
  const button = document.querySelector(".menu-button");
  const groups = Array.from(nav.querySelectorAll("details"));
  document.documentElement.classList.add("menu-folds");
  if (button) {
    button.hidden = false;
    button.addEventListener("click", function () {
      const open = nav.classList.toggle("open");
      button.setAttribute("aria-expanded", open ? "true" : "false");
    });
  }
  groups.forEach(function (group) {
    group.addEventListener("toggle", function () {
      if (group.open) groups.forEach(function (other) { if (other !== group) other.open = false; });
    });
  });
  document.addEventListener("click", function (event) {
    if (!nav.contains(event.target)) groups.forEach(function (group) { group.open = false; });
  });
  document.addEventListener("keydown", function (event) {
    if (event.key !== "Escape") return;
    const open = groups.find(function (group) { return group.open; });
    if (open) { open.open = false; open.querySelector("summary").focus(); }
  });
})();
