import type { Theme } from 'vitepress';
import DefaultTheme from 'vitepress/theme';
import CacheAsideDiagram from './components/CacheAsideDiagram.vue';
import CacheAsidePlayground from './components/CacheAsidePlayground.vue';
import ExerciseList from './components/ExerciseList.vue';
import Quiz from './components/Quiz.vue';
import QuizSummary from './components/QuizSummary.vue';
import './custom.css';

export default {
  extends: DefaultTheme,
  enhanceApp({ app }) {
    app.component('CacheAsideDiagram', CacheAsideDiagram);
    app.component('CacheAsidePlayground', CacheAsidePlayground);
    app.component('ExerciseList', ExerciseList);
    app.component('Quiz', Quiz);
    app.component('QuizSummary', QuizSummary);
  },
} satisfies Theme;
