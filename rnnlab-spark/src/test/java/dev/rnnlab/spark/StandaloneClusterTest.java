package dev.rnnlab.spark;

import static org.assertj.core.api.Assertions.assertThat;

import dev.rnnlab.RealCorpora;
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
 * The statistics job on a real standalone cluster on 127.0.0.1 (a master and two workers, executors in
 * processes of their own): the report equals one machine's, and it still does after a worker is killed
 * while the job runs (Spark runs the lost tasks again on the other).
 */
class StandaloneClusterTest {
    @TempDir
    Path dir;

    @Test
    void statisticsOnAStandaloneClusterEqualOneMachinesEvenWhenAWorkerIsKilledMidJob() throws Exception {
        Path book = RealCorpora.timemachine();
        Corpus one = Corpus.load(book, Normalizer.D2L, Tokenizer.WORD);
        List<Integer> orders = List.of(1, 2, 3);
        String expected = SparkStatisticsTest.report(SparkStatisticsTest.singleMachine(one, orders));
        try (StandaloneCluster cluster = StandaloneCluster.start(dir, 2)) {
            SparkConf conf = new SparkConf().setMaster(cluster.url()).setAppName("rnnlab standalone test")
                    .set("spark.ui.enabled", "false").set("spark.driver.host", "127.0.0.1").set("spark.driver.bindAddress", "127.0.0.1")
                    .set("spark.executor.memory", "512m").set("spark.cores.max", "2")
                    .set("spark.executor.extraClassPath", System.getProperty("java.class.path"))
                    .set("spark.task.maxFailures", "8");
            try (JavaSparkContext spark = new JavaSparkContext(conf)) {
                // both workers' executors registered (the driver counts itself too)
                long deadline = System.currentTimeMillis() + 90_000;
                while (spark.sc().statusTracker().getExecutorInfos().length < 3 && System.currentTimeMillis() < deadline) Thread.sleep(100);
                assertThat(spark.sc().statusTracker().getExecutorInfos()).hasSize(3);
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
            for (String log : List.of("master.log", "worker-0.log", "worker-1.log")) {
                Path f = dir.resolve(log);
                if (Files.exists(f)) Files.copy(f, Path.of("target", "standalone-" + log), java.nio.file.StandardCopyOption.REPLACE_EXISTING);
            }
        }
    }
}
