package dev.rnnlab.spark;

import org.apache.spark.SparkConf;
import org.apache.spark.api.java.JavaSparkContext;

/** One local-mode Spark for a test class: two worker threads on 127.0.0.1, no web UI. */
final class LocalSpark {
    private LocalSpark() {}

    static JavaSparkContext start(String name) {
        SparkConf conf = new SparkConf().setMaster("local[2]").setAppName(name).set("spark.ui.enabled", "false")
                .set("spark.driver.host", "127.0.0.1").set("spark.driver.bindAddress", "127.0.0.1")
                .set("spark.sql.shuffle.partitions", "4").set("spark.default.parallelism", "4");
        return new JavaSparkContext(conf);
    }
}
