// Hello, Coursegate: pages, a quiz and resume on the runtime's course API (global `Coursegate` from the IIFE).
(async () => {
  const pages = [...document.querySelectorAll('[data-page]')].map((el) => el.dataset.page);
  const mastery = Number(document.documentElement.dataset.masteryScore) || undefined;
  // Telemetry needs no code: in a gated launch start() sends anonymous statements and errors by itself.
  const course = await Coursegate.start({ masteryScore: mastery });
  course.on('error', (e) => console.warn('coursegate', e.code, e.message));

  // Everything the course needs to resume lives in `state`; the page is the bookmark.
  const state = course.state ?? { visited: [], answers: {} };
  let current = Math.max(0, pages.indexOf(course.location));

  const show = (index) => {
    current = index;
    const id = pages[index];
    for (const el of document.querySelectorAll('[data-page]')) el.hidden = el.dataset.page !== id;
    if (!state.visited.includes(id)) state.visited.push(id);
    document.getElementById('prev').disabled = index === 0;
    document.getElementById('next').disabled = index === pages.length - 1;
    document.getElementById('progress').value = state.visited.length / pages.length;
    course.location = id;
    course.state = state;
    course.progress(state.visited.length / pages.length);
    if (state.visited.length === pages.length && state.score !== undefined) course.complete();
  };

  const quiz = document.getElementById('quiz');
  const result = document.getElementById('result');
  const showResult = () => {
    if (state.score === undefined) return;
    result.textContent = `You scored ${state.score} of 3: ${course.success === 'failed' ? 'not passed yet, try again' : 'passed'}.`;
  };
  for (const [name, value] of Object.entries(state.answers)) {
    const input = quiz.querySelector(`input[name="${name}"][value="${value}"]`);
    if (input) input.checked = true;
  }

  quiz.addEventListener('submit', (event) => {
    event.preventDefault();
    let correct = 0;
    for (const set of quiz.querySelectorAll('[data-question]')) {
      const id = set.dataset.question;
      const answer = quiz.elements[id].value;
      const right = answer === set.dataset.correct;
      if (right) correct++;
      state.answers[id] = answer;
      course.interaction({
        id,
        type: set.dataset.correct === 'true' || set.dataset.correct === 'false' ? 'true-false' : 'choice',
        description: set.querySelector('legend').textContent,
        response: answer,
        correct: set.dataset.correct,
        result: right ? 'correct' : 'incorrect',
      });
    }
    state.score = correct;
    course.score(correct, { min: 0, max: 3 });
    // Without any mastery score (neither the LMS's nor coursegate.json's) the course decides itself.
    if (course.masteryScore === undefined) {
      if (correct >= 2) course.pass();
      else course.fail();
    }
    show(current);
    showResult();
  });

  document.getElementById('prev').addEventListener('click', () => show(current - 1));
  document.getElementById('next').addEventListener('click', () => show(current + 1));
  document.getElementById('exit').addEventListener('click', async () => {
    await course.exit();
    document.body.textContent = 'Your progress is saved. You can close this window.';
  });

  show(current);
  showResult();
  document.documentElement.dataset.ready = 'true';
})();
