import COpenBLAS
import Utilities

/// OpenBLAS, opened (single-threaded) by the first product.
private let blas = BLASLibrary.resolved

/// Products with fewer multiply-adds than this stay on one core.
private let splitThreshold = 1 << 18

/// Row-major C (m, n) = alpha · op(A) (m, k) · op(B) (k, n) + beta · C, split over the
/// cores along the longer side of C. Each element is still one dot product in OpenBLAS's
/// order, so the result does not depend on the split.
@inline(__always)
func gemm(
    transposeA: Bool, transposeB: Bool, m: Int, n: Int, k: Int,
    alpha: Float = 1, a: UnsafePointer<Float>, lda: Int, b: UnsafePointer<Float>, ldb: Int,
    beta: Float, c: UnsafeMutablePointer<Float>, ldc: Int, parallel: Bool = true
) {
    guard m > 0, n > 0 else { return }
    guard k > 0 else {
        for row in 0..<m {
            for column in 0..<n { c[row * ldc + column] = beta == 0 ? 0 : c[row * ldc + column] * beta }
        }
        return
    }
    if m == 1 {
        singleRow(transposeA, transposeB, n, k, alpha, a, lda, b, ldb, beta, c)
        return
    }
    guard parallel, Parallel.cores > 1, m * n * k >= splitThreshold else {
        serialGemm(transposeA, transposeB, m, n, k, alpha, a, lda, b, ldb, beta, c, ldc)
        return
    }
    if m >= n {
        Parallel.forRanges(m, minimumPerChunk: 8) { rows in
            let aStart = transposeA ? a + rows.lowerBound : a + rows.lowerBound * lda
            serialGemm(
                transposeA, transposeB, rows.count, n, k, alpha, aStart, lda, b, ldb, beta, c + rows.lowerBound * ldc,
                ldc)
        }
    } else {
        Parallel.forRanges(n, minimumPerChunk: 16) { columns in
            let bStart = transposeB ? b + columns.lowerBound * ldb : b + columns.lowerBound
            serialGemm(
                transposeA, transposeB, m, columns.count, k, alpha, a, lda, bStart, ldb, beta, c + columns.lowerBound,
                ldc)
        }
    }
}

@inline(__always)
private func serialGemm(
    _ transposeA: Bool, _ transposeB: Bool, _ m: Int, _ n: Int, _ k: Int, _ alpha: Float,
    _ a: UnsafePointer<Float>, _ lda: Int, _ b: UnsafePointer<Float>, _ ldb: Int,
    _ beta: Float, _ c: UnsafeMutablePointer<Float>, _ ldc: Int
) {
    blas.sgemm(
        CblasRowMajor, transposeA ? CblasTrans : CblasNoTrans, transposeB ? CblasTrans : CblasNoTrans,
        Int32(m), Int32(n), Int32(k), alpha, a, Int32(lda), b, Int32(ldb), beta, c, Int32(ldc))
}

/// C (1, n) as a matrix-vector product: sgemm packs all of B for a single row of A, which
/// costs incremental decoding (one token, one row) several times the product itself.
@inline(__always)
private func singleRow(
    _ transposeA: Bool, _ transposeB: Bool, _ n: Int, _ k: Int, _ alpha: Float,
    _ a: UnsafePointer<Float>, _ lda: Int, _ b: UnsafePointer<Float>, _ ldb: Int,
    _ beta: Float, _ c: UnsafeMutablePointer<Float>
) {
    // A (1, k) is a row, or with transposeA a column of stride lda; B is (n, k) with transposeB, else (k, n).
    let stride = Int32(transposeA ? lda : 1)
    if transposeB {
        blas.sgemv(CblasRowMajor, CblasNoTrans, Int32(n), Int32(k), alpha, b, Int32(ldb), a, stride, beta, c, 1)
    } else {
        blas.sgemv(CblasRowMajor, CblasTrans, Int32(k), Int32(n), alpha, b, Int32(ldb), a, stride, beta, c, 1)
    }
}

/// sums (n) += Σ_rows matrix (rows, n): the bias gradient of every layer.
func addColumnSums(into sums: UnsafeMutablePointer<Float>, _ matrix: UnsafePointer<Float>, rows: Int, columns: Int) {
    Parallel.forRanges(columns, minimumPerChunk: rows * columns >= 1 << 16 ? 64 : Int.max) { range in
        for row in 0..<rows {
            let line = matrix + row * columns
            for column in range { sums[column] += line[column] }
        }
    }
}
