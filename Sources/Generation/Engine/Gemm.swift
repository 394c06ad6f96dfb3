import COpenBLAS

/// Row-major C (m, n) = alpha · op(A) (m, k) · op(B) (k, n) + beta · C through OpenBLAS.
@inline(__always)
func gemm(
    transposeA: Bool, transposeB: Bool, m: Int, n: Int, k: Int,
    alpha: Float = 1, a: UnsafePointer<Float>, lda: Int, b: UnsafePointer<Float>, ldb: Int,
    beta: Float, c: UnsafeMutablePointer<Float>, ldc: Int
) {
    guard m > 0, n > 0 else { return }
    guard k > 0 else {
        if beta != 1 { for row in 0..<m { for column in 0..<n { c[row * ldc + column] *= beta } } }
        return
    }
    cblas_sgemm(
        CblasRowMajor, transposeA ? CblasTrans : CblasNoTrans, transposeB ? CblasTrans : CblasNoTrans,
        Int32(m), Int32(n), Int32(k), alpha, a, Int32(lda), b, Int32(ldb), beta, c, Int32(ldc))
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
