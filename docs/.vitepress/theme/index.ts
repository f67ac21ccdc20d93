import type { Theme } from 'vitepress';
import DefaultTheme from 'vitepress/theme';
import { defineAsyncComponent } from 'vue';
import CacheAsideDiagram from './components/CacheAsideDiagram.vue';
import ExerciseList from './components/ExerciseList.vue';
import LessonIntro from './components/LessonIntro.vue';
import './custom.css';

export default {
  extends: DefaultTheme,
  enhanceApp({ app }) {
    app.component('CacheAsideDiagram', CacheAsideDiagram);
    app.component('ExerciseList', ExerciseList);
    app.component('LessonIntro', LessonIntro);
    // Loaded only by the pages that use them: the quiz bank and the playground stay off the others.
    app.component(
      'CacheAsidePlayground',
      defineAsyncComponent(() => import('./components/CacheAsidePlayground.vue')),
    );
    app.component(
      'LessonQuiz',
      defineAsyncComponent(() => import('./components/LessonQuiz.vue')),
    );
    app.component(
      'QuizSummary',
      defineAsyncComponent(() => import('./components/QuizSummary.vue')),
    );
  },
} satisfies Theme;
