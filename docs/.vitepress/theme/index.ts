import type { Theme } from 'vitepress';
import { h } from 'vue';
import DefaultTheme from 'vitepress/theme';
import { defineAsyncComponent } from 'vue';
import CacheAsideDiagram from './components/CacheAsideDiagram.vue';
import ExerciseList from './components/ExerciseList.vue';
import LessonIntro from './components/LessonIntro.vue';
import CourseProgress from './components/CourseProgress.vue';
import ExerciseVerdict from './components/ExerciseVerdict.vue';
import FlowDiagram from './components/FlowDiagram.vue';
import BenchChart from './components/BenchChart.vue';
import ExampleOutput from './components/ExampleOutput.vue';
import SolutionReveal from './components/SolutionReveal.vue';
import TryConsole from './components/TryConsole.vue';
import NoScriptBanner from './components/NoScriptBanner.vue';
import './custom.css';

export default {
  extends: DefaultTheme,
  // A notice for browsers without JavaScript on top of every page; the learner's progress under the sidebar.
  Layout: () =>
    h(DefaultTheme.Layout, null, {
      'layout-top': () => h(NoScriptBanner),
      'sidebar-nav-after': () => h(CourseProgress),
    }),
  enhanceApp({ app }) {
    app.component('CacheAsideDiagram', CacheAsideDiagram);
    app.component('ExerciseList', ExerciseList);
    app.component('LessonIntro', LessonIntro);
    app.component('CourseProgress', CourseProgress);
    app.component('ExerciseVerdict', ExerciseVerdict);
    app.component('FlowDiagram', FlowDiagram);
    app.component('BenchChart', BenchChart);
    app.component('ExampleOutput', ExampleOutput);
    app.component('SolutionReveal', SolutionReveal);
    app.component('TryConsole', TryConsole);
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
    app.component(
      'RoundTripChart',
      defineAsyncComponent(() => import('./components/RoundTripChart.vue')),
    );
  },
} satisfies Theme;
