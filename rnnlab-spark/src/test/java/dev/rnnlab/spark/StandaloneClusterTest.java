package dev.rnnlab.spark;

import static org.assertj.core.api.Assertions.assertThat;

import dev.rnnlab.RealCorpora;
import dev.rnnlab.io.Checkpoint;
import dev.rnnlab.run.RunSpec;
import dev.rnnlab.tensor.Gemm;
import dev.rnnlab.stats.OrderStatistics;
import dev.rnnlab.text.Corpus;
import dev.rnnlab.text.Normalizer;
import dev.rnnlab.text.Tokenizer;
import dev.rnnlab.text.Vocabulary;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.apache.hadoop.conf.Configuration;
import org.apache.spark.SparkConf;
import org.apache.spark.api.java.JavaSparkContext;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The statistics and training jobs on a real standalone cluster on 127.0.0.1 (a master and two workers, executors in
 * processes of their own): the report equals one machine's, and it still does after a worker is killed
 * while a job runs (Spark runs the lost tasks again on the other).
 */
class StandaloneClusterTest {
    @TempDir
    Path dir;

    private SparkConf clusterConf(StandaloneCluster cluster, String app) {
        return new SparkConf().setMaster(cluster.url()).setAppName(app)
                .set("spark.ui.enabled", "false").set("spark.driver.host", "127.0.0.1").set("spark.driver.bindAddress", "127.0.0.1")
                .set("spark.executor.memory", "512m").set("spark.cores.max", "2")
                .set("spark.executor.extraClassPath", System.getProperty("java.class.path"))
                .set("spark.task.maxFailures", "8");
    }

    private static void awaitExecutors(JavaSparkContext spark, int count) throws InterruptedException {
        // the driver counts itself too
        long deadline = System.currentTimeMillis() + 90_000;
        while (spark.sc().statusTracker().getExecutorInfos().length < count + 1 && System.currentTimeMillis() < deadline) Thread.sleep(100);
        assertThat(spark.sc().statusTracker().getExecutorInfos()).hasSize(count + 1);
    }

    /**
     * Training on the cluster, a worker killed in the middle of a round: Spark runs the lost task again on
     * the other worker, and because a round follows from its inputs alone, the run ends with the weights of
     * the same run in local mode, saved in its checkpoint.
     */
    @Test
    void trainingSurvivesAWorkerKilledMidRoundWithTheWeightsOfAnUndisturbedRun() throws Exception {
        RunSpec spec = RunSpec.builder().corpus(RealCorpora.timemachine()).model("lstm").hidden(96).batch(16).steps(20).maxTokens(40_000)
                .split("0.9,0.1").epochs(3).optimizer("adam").lr(0.01).seed(11).saveEvery(1).build();
        float[] undisturbed;
        try (JavaSparkContext local = LocalSpark.start("rnnlab reference run");
             SparkTraining t = SparkTraining.builder(local, spec).partitions(2).syncEvery(8).validateEvery(0).build()) {
            t.run();
            undisturbed = t.trainingRun().model().parameters().values().clone();
        }
        Path run = dir.resolve("run");
        try (StandaloneCluster cluster = StandaloneCluster.start(dir, 2);
             JavaSparkContext spark = new JavaSparkContext(clusterConf(cluster, "rnnlab standalone training"))) {
            awaitExecutors(spark, 2);
            Path rounds = run.resolve("rounds.jsonl");
            java.util.concurrent.atomic.AtomicInteger started = new java.util.concurrent.atomic.AtomicInteger(), failed =
                    new java.util.concurrent.atomic.AtomicInteger();
            java.util.concurrent.CountDownLatch taskRunning = new java.util.concurrent.CountDownLatch(1);
            spark.sc().addSparkListener(new org.apache.spark.scheduler.SparkListener() {
                @Override
                public void onTaskStart(org.apache.spark.scheduler.SparkListenerTaskStart e) {
                    // both tasks of the fourth round have started, one on each worker: a kill now lands inside one
                    if (started.incrementAndGet() == 8) taskRunning.countDown();
                }

                @Override
                public void onTaskEnd(org.apache.spark.scheduler.SparkListenerTaskEnd e) {
                    if (!(e.reason() instanceof org.apache.spark.Success$)) failed.incrementAndGet();
                }
            });
            Thread killer = new Thread(() -> {
                try {
                    taskRunning.await();
                } catch (InterruptedException e) {
                    return;
                }
                cluster.worker(0).descendants().forEach(ProcessHandle::destroyForcibly);
                cluster.worker(0).destroyForcibly();
            });
            killer.start();
            try (SparkTraining t = SparkTraining.builder(spark, spec).partitions(2).syncEvery(8).validateEvery(0).checkpointDirectory(run).build()) {
                assertThat(t.run()).hasSize(3);
                killer.join();
                assertThat(cluster.worker(0).isAlive()).isFalse();
                assertThat(spark.sc().statusTracker().getExecutorInfos()).as("worker 0's executor is gone").hasSizeLessThan(3);
                assertThat(failed.get()).as("tasks lost with the worker").isGreaterThanOrEqualTo(1);
                assertThat(SparkTrainingTest.lines(rounds)).hasSize(3 * t.batchesPerEpoch() / 8 + (t.batchesPerEpoch() % 8 > 0 ? 3 : 0));
                assertThat(t.trainingRun().model().parameters().values()).containsExactly(undisturbed);
            }
            assertThat(Checkpoint.read(run, Gemm.create(Gemm.Backend.AUTO, 1, false)).model().parameters().values()).containsExactly(undisturbed);
        } finally {
            keepLogs("training-");
        }
    }

    @Test
    void statisticsOnAStandaloneClusterEqualOneMachinesEvenWhenAWorkerIsKilledMidJob() throws Exception {
        Path book = RealCorpora.timemachine();
        Corpus one = Corpus.load(book, Normalizer.D2L, Tokenizer.WORD);
        List<Integer> orders = List.of(1, 2, 3);
        String expected = SparkStatisticsTest.report(SparkStatisticsTest.singleMachine(one, orders));
        try (StandaloneCluster cluster = StandaloneCluster.start(dir, 2)) {
            try (JavaSparkContext spark = new JavaSparkContext(clusterConf(cluster, "rnnlab standalone test"))) {
                awaitExecutors(spark, 2);
                SparkCorpus corpus = SparkCorpus.of(List.of(book.toString()), Normalizer.D2L, Tokenizer.WORD, 4_001, new Configuration());
                SparkStatistics stats = new SparkStatistics(spark, corpus);
                Vocabulary v = stats.vocabulary(0, List.of());
                assertThat(v).isEqualTo(one.vocabulary());
                assertThat(SparkStatisticsTest.report(stats.statistics(v, orders, 10))).isEqualTo(expected);

                // a worker dies while the next job runs: its tasks are run again on the other worker
                Thread killer = new Thread(() -> {
                    try {
                        Thread.sleep(1500);
                    } catch (InterruptedException e) {
                        return;
                    }
                    cluster.worker(0).descendants().forEach(ProcessHandle::destroyForcibly);
                    cluster.worker(0).destroyForcibly();
                });
                killer.start();
                List<OrderStatistics> again = stats.statistics(v, List.of(1, 2, 3, 4, 5, 6), 10);
                killer.join();
                assertThat(cluster.worker(0).isAlive()).isFalse();
                assertThat(spark.sc().statusTracker().getExecutorInfos()).as("worker 0's executor is gone").hasSizeLessThan(3);
                assertThat(SparkStatisticsTest.report(again.subList(0, 3))).isEqualTo(expected);
            }
        } finally {
            keepLogs("");
        }
    }

    /** The cluster's logs, kept in target/ for a failure's post-mortem. */
    private void keepLogs(String prefix) throws java.io.IOException {
        for (String log : List.of("master.log", "worker-0.log", "worker-1.log")) {
            Path f = dir.resolve(log);
            if (Files.exists(f)) Files.copy(f, Path.of("target", "standalone-" + prefix + log), java.nio.file.StandardCopyOption.REPLACE_EXISTING);
        }
    }
}
